# shellcheck shell=sh disable=SC2154
# Releases this deployment's lock from outside a deployment (after a lost round trip, or when a
# request is cancelled). Only a lock held by this digest is removed; no deploy path, no lock.
_dr_open_path
[ -e "$_dr_lock" ] || { _dr_say "lock lost none"; exit 0; }
_dr_locked=1
_dr_unlock
