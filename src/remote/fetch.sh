# shellcheck shell=sh disable=SC2154
# Pull mode (deploy.transfer: pull): the server downloads the artifact itself, with curl or wget,
# from artifact.url or a release asset's short-lived signed link; the runner sends none of its
# bytes. Values: _dr_url (https; a signed link's query is a credential) and _dr_show (the URL as
# messages show it, without the query). A tool's own error text is cut at '?' before it is shown.
# Used by deploy-pull.sh (the download) and pull-probe.sh (the environment check).

# Sets _dr_fetcher (curl, wget, or empty) and _dr_fetch (the URL to stdout, errors to stderr):
# curl first (https only, redirects too), then GNU wget, then BusyBox wget.
_dr_fetch_tool() {
  _dr_fetcher=
  if command -v curl >/dev/null 2>&1; then
    _dr_fetcher=curl
    _dr_fetch() {
      curl -fsSL --show-error --proto =https --proto-redir =https --max-redirs 5 \
        --connect-timeout 20 --retry 2 --max-filesize 2147483648 -- "$_dr_url"
    }
  elif command -v wget >/dev/null 2>&1; then
    _dr_fetcher=wget
    if wget --version 2>/dev/null | grep -q 'GNU Wget'; then
      _dr_fetch() { wget -nv -O - --https-only --max-redirect=5 --timeout=30 --tries=3 -- "$_dr_url"; }
    else
      _dr_fetch() { wget -q -O - -T 30 -- "$_dr_url"; }
    fi
  fi
}

# The last lines of the tool's stderr ($_dr_ferr) as one line, each URL's query cut off.
_dr_fetch_why() {
  tail -c 400 "$_dr_ferr" 2>/dev/null | tr '\n' ' ' | sed 's/?[^[:space:]]*/?…/g'
}
