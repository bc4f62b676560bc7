#!/usr/bin/env python3
"""moto_server for scripts/bench-workers.sh, with the access-key lookup remembered.

    bench-workers-moto.py -H 127.0.0.1 -p PORT   (moto_server's arguments)

moto 5.2.5 finds the account of each request's access key by looking through every account's
IAM backend in every partition (moto.iam.models.get_account_id_from): with 1,000 accounts
that is ~30 ms of the emulator's single Python process per request, whatever the request,
so the emulator, not the scanner, would be measured. This wrapper remembers each key's
answer (a key's account never changes; the keys AssumeRole creates are new strings, never
asked for before they exist) and then runs moto_server unchanged.
"""
import sys
import threading

import moto.iam.models as iam_models
from moto.server import main

_lookup = iam_models.get_account_id_from
_known: dict[str, str] = {}
_lock = threading.Lock()


def get_account_id_from(access_key: str) -> str:
    account = _known.get(access_key)
    if account is None:
        account = _lookup(access_key)
        with _lock:
            _known[access_key] = account
    return account


iam_models.get_account_id_from = get_account_id_from
main(sys.argv[1:])
