# shellcheck shell=sh disable=SC2154
# Reads a server's release ledger in one round trip and changes nothing: the release `current`
# points to ("@@current <id>", nothing after it when there is none), every release directory,
# newest first, as "@@release <id> <complete 1|0> <its .deploy-request.json on one line>" (a
# half-unpacked .<id>.partial stage is listed as incomplete), and the remote lock when one is
# there ("@@locked <digest> <epoch>"). "@@done" says the listing is whole.
# Values: _dr_p (the deploy path).
_dr_p=$(cd "$_dr_p" 2>/dev/null && pwd) || { _dr_say "current"; _dr_say 'done'; exit 0; }
_dr_read_current
_dr_say "current $_dr_prev"
if [ -d "$_dr_p/releases" ]; then
  # A name with a space or a line break is not a release this action made: it is left out, as
  # it would not survive the space-separated line.
  # shellcheck disable=SC2012 # names are filtered below
  ls -1a "$_dr_p/releases" | LC_ALL=C sort -r | while IFS= read -r _dr_rel; do
    case $_dr_rel in
      . | .. | *' '*) continue ;;
      .*.partial) _dr_id=${_dr_rel#.}; _dr_id=${_dr_id%.partial}; _dr_ok=0 ;;
      .*) continue ;;
      *) _dr_id=$_dr_rel; _dr_ok=1 ;;
    esac
    _dr_d="$_dr_p/releases/$_dr_rel"
    [ -d "$_dr_d" ] || continue
    # Older entries are pretty-printed over several lines: JSON allows no raw line break inside
    # a string, so joining the lines keeps it valid. A huge file is cut (and then unreadable).
    _dr_json=
    if [ -f "$_dr_d/.deploy-request.json" ] && [ -r "$_dr_d/.deploy-request.json" ]; then
      _dr_json=$(head -c 65536 "$_dr_d/.deploy-request.json" | tr '\r\n\t' '   ')
    else
      _dr_ok=0
    fi
    printf '@@release %s %s %s\n' "$_dr_id" "$_dr_ok" "$_dr_json"
  done
fi
if [ -f "$_dr_p/.deploy-request.lock" ]; then
  _dr_owner=; _dr_since=
  read -r _dr_owner _dr_since _dr_rest < "$_dr_p/.deploy-request.lock" 2>/dev/null
  _dr_say "locked ${_dr_owner:-unknown} ${_dr_since:-0}"
fi
_dr_say 'done'
