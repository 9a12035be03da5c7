// Shell helpers shared by the provisioning and check scripts (POSIX sh, coreutils or busybox).

/** Starts in the login home, finds base64/sha256 tools, and defines the output helpers. */
export const PRELUDE = String.raw`cd || exit 97
umask 022
if command -v base64 >/dev/null 2>&1; then
  dr_b64() { base64 | tr -d '\n'; }
  dr_unb64() { base64 -d; }
else
  dr_b64() { openssl base64 -A; }
  dr_unb64() { tr -d '\n' | openssl base64 -d -A; }
fi
if command -v sha256sum >/dev/null 2>&1; then
  dr_sha() { sha256sum < "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null 2>&1; then
  dr_sha() { shasum -a 256 < "$1" | cut -d' ' -f1; }
else
  dr_sha() { openssl dgst -sha256 -r < "$1" | cut -d' ' -f1; }
fi
dr_mode() { stat -c %a "$1" 2>/dev/null; }
`;
