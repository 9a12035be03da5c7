# shellcheck shell=sh disable=SC2154
# Pull mode's environment check, run after environment.sh's checks (after fetch.sh):
# "@@check pull-tool <curl|wget|->" and, with a URL, "@@check pull-url <exit code|-> <why>",
# asking for one byte (Range: bytes=0-0: a signed link allows GET, not HEAD; curl's
# --max-filesize 1 stops a server that ignores the range). Values: _dr_url, _dr_probe_s.
_dr_pull_probe() {
  _dr_fetch_tool
  printf '@@check pull-tool %s\n' "${_dr_fetcher:--}"
  [ -n "$_dr_url" ] || return 0
  _dr_ferr=$(mktemp "${TMPDIR:-/tmp}/dr-probe.XXXXXX") || _dr_ferr=/dev/null
  case $_dr_fetcher in
    curl)
      curl -fsS --proto =https --proto-redir =https --max-redirs 5 -r 0-0 --max-filesize 1 \
        --max-time "$_dr_probe_s" -o /dev/null -- "$_dr_url" 2>"$_dr_ferr"
      _dr_rc=$?
      [ "$_dr_rc" = 63 ] && _dr_rc=0
      ;;
    wget)
      if command -v timeout >/dev/null 2>&1; then
        timeout "$((_dr_probe_s + 5))" wget -q -O /dev/null --header 'Range: bytes=0-0' \
          -T "$_dr_probe_s" -- "$_dr_url" 2>"$_dr_ferr"
      else
        wget -q -O /dev/null --header 'Range: bytes=0-0' -T "$_dr_probe_s" -- "$_dr_url" 2>"$_dr_ferr"
      fi
      _dr_rc=$?
      ;;
    *) _dr_rc=- ;;
  esac
  printf '@@check pull-url %s %s\n' "$_dr_rc" "$(_dr_fetch_why)"
  [ "$_dr_ferr" = /dev/null ] || rm -f "$_dr_ferr"
}
