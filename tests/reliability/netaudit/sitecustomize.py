"""Loaded by every Python process started with this folder on PYTHONPATH (the CLI,
dbt, any worker): records each outbound network attempt to $NET_AUDIT_LOG.

Audit hooks see name lookups and connects before they happen, whether or not
the machine has a network, so a test can assert that none were even tried.
"""

import os
import sys

_LOG = os.environ.get("NET_AUDIT_LOG")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "", None}


def _local_address(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    if isinstance(address, tuple) and address:
        host = address[0]
        return host in _LOCAL_HOSTS or str(host).startswith("127.")
    return False


def _hook(event, args):
    if event == "socket.getaddrinfo":
        host = args[0]
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
        if host in _LOCAL_HOSTS or str(host).startswith("127."):
            return
        what = f"getaddrinfo {host}:{args[1]}"
    elif event == "socket.connect":
        if _local_address(args[1]):
            return
        what = f"connect {args[1]!r}"
    else:
        return
    with open(_LOG, "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()} {os.path.basename(sys.argv[0] or 'python')}: {what}\n")


if _LOG:
    sys.addaudithook(_hook)
