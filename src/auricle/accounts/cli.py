"""`auricle keys create|list|revoke|usage` and `auricle accounts create|list|topup`.

They work on the database the server uses (AURICLE_DATABASE_URL, or the SQLite file in the data
directory), with the server running or not: nothing is cached, so a change applies to the next request.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import datetime
from typing import Any

from auricle.accounts import keys, reports
from auricle.accounts.prices import MICROS
from auricle.accounts.store import Store
from auricle.config import Settings

DEFAULT_ACCOUNT = "proj_default"
_DURATION = re.compile(r"^(\d+)([smhdw])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def add_commands(commands: Any) -> None:
    """Adds `keys` and `accounts` to the `auricle` command's subcommands."""
    key_commands = commands.add_parser("keys", help="create, list and revoke API keys; show their usage")
    # The `auricle` command reads engine options from every subcommand's arguments; these have none.
    key_commands.set_defaults(add_model=[])
    key_sub = key_commands.add_subparsers(dest="keys_command", required=True)
    create = key_sub.add_parser("create", help="a new key, printed once")
    create.add_argument("--name", default="key")
    create.add_argument("--account", default=DEFAULT_ACCOUNT, help=f"account id (default {DEFAULT_ACCOUNT})")
    create.add_argument("--rpm", type=int, help="requests per minute")
    # Not `concurrency`: the `auricle` command reads that name as the engine's setting.
    create.add_argument("--concurrency", type=int, dest="key_concurrency", help="requests in flight at once")
    create.add_argument("--monthly-minutes", type=float, help="audio minutes per calendar month (UTC)")
    create.add_argument("--spend-limit", type=float, help="most this key may ever spend, in the currency")
    create.add_argument("--expires", help="30d, 12h, 90m, or a date (2027-01-31)")
    create.add_argument("--json", action="store_true", help='print {"id", "value"}')
    create.set_defaults(command_function=_keys_create)
    listing = key_sub.add_parser("list", help="every key, never its value")
    listing.add_argument("--account")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(command_function=_keys_list)
    revoke = key_sub.add_parser("revoke", help="refuse a key from its next request on")
    revoke.add_argument("key_id")
    revoke.set_defaults(command_function=_keys_revoke)
    usage = key_sub.add_parser("usage", help="usage per day")
    usage.add_argument("key_id", nargs="?")
    usage.add_argument("--since", help="first day, YYYY-MM-DD")
    usage.add_argument("--json", action="store_true")
    usage.set_defaults(command_function=_keys_usage)

    account_commands = commands.add_parser("accounts", help="accounts that own keys and a balance")
    account_commands.set_defaults(add_model=[])
    account_sub = account_commands.add_subparsers(dest="accounts_command", required=True)
    new = account_sub.add_parser("create", help="a new account")
    new.add_argument("--name", required=True)
    new.add_argument("--id", dest="account_id")
    new.add_argument("--balance", type=float, help="prepaid balance in the currency (default: postpaid)")
    new.add_argument("--monthly-minutes", type=float)
    new.add_argument("--spend-limit", type=float, help="most the account may spend per month")
    new.add_argument("--json", action="store_true")
    new.set_defaults(command_function=_accounts_create)
    accounts_list = account_sub.add_parser("list")
    accounts_list.add_argument("--json", action="store_true")
    accounts_list.set_defaults(command_function=_accounts_list)
    topup = account_sub.add_parser("topup", help="add to an account's balance")
    topup.add_argument("account_id")
    topup.add_argument("amount", type=float)
    topup.add_argument("--note")
    topup.set_defaults(command_function=_accounts_topup)


def open_store(settings: Settings) -> Store:
    url = settings.resolved_database_url()
    if url is None:
        raise SystemExit("auricle: AURICLE_DATABASE_URL is 'none': there is no accounts database")
    store = Store(url)
    store.migrate()
    return store


def parse_expiry(text: str | None, now: float) -> float | None:
    if text is None:
        return None
    if match := _DURATION.match(text):
        return now + int(match[1]) * _UNIT_SECONDS[match[2]]
    return datetime.fromisoformat(text).timestamp()


def _micros(amount: float | None) -> int | None:
    return None if amount is None else round(amount * MICROS)


def _seconds(minutes: float | None) -> int | None:
    return None if minutes is None else round(minutes * 60)


def _keys_create(settings: Settings, args: argparse.Namespace) -> int:
    store = open_store(settings)
    if args.account == DEFAULT_ACCOUNT and not any(
        a["id"] == DEFAULT_ACCOUNT for a in keys.list_accounts(store)
    ):
        keys.create_account(store, "default", account_id=DEFAULT_ACCOUNT)
    limits = keys.Limits(
        rpm=args.rpm,
        max_concurrent=args.key_concurrency,
        monthly_audio_seconds=_seconds(args.monthly_minutes),
        spend_limit_micros=_micros(args.spend_limit),
        expires_at=parse_expiry(args.expires, time.time()),
    )
    try:
        key_id, value = keys.create_key(store, args.account, args.name, limits)
    except LookupError as error:
        print(f"auricle: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"id": key_id, "value": value}))
    else:
        print(f"{key_id}\n{value}\n(the key is shown only this once)")
    return 0


def _keys_list(settings: Settings, args: argparse.Namespace) -> int:
    rows = keys.list_keys(open_store(settings), args.account)
    fields = ("id", "name", "account_id", "redacted", "source", "rpm", "max_concurrent", "revoked_at")
    _print_rows(
        [{name: row[name] for name in (*fields, "created_at", "expires_at")} for row in rows], fields, args
    )
    return 0


def _keys_revoke(settings: Settings, args: argparse.Namespace) -> int:
    if not keys.revoke(open_store(settings), args.key_id):
        print(f"auricle: no live key {args.key_id}", file=sys.stderr)
        return 1
    print(f"revoked {args.key_id}")
    return 0


def _keys_usage(settings: Settings, args: argparse.Namespace) -> int:
    rows = reports.daily(
        open_store(settings), key_id=args.key_id, since=args.since, group=("key_id", "model")
    )
    fields = (
        "day",
        "key_id",
        "model",
        "requests",
        "failed_requests",
        "cancelled_requests",
        "billed_ms",
        "cost_micros",
    )
    _print_rows(rows, fields, args)
    return 0


def _accounts_create(settings: Settings, args: argparse.Namespace) -> int:
    account_id = keys.create_account(
        open_store(settings),
        args.name,
        account_id=args.account_id,
        balance_micros=_micros(args.balance),
        monthly_audio_seconds=_seconds(args.monthly_minutes),
        monthly_spend_micros=_micros(args.spend_limit),
    )
    print(json.dumps({"id": account_id}) if args.json else account_id)
    return 0


def _accounts_list(settings: Settings, args: argparse.Namespace) -> int:
    rows = keys.list_accounts(open_store(settings))
    _print_rows(rows, ("id", "name", "balance_micros", "held_micros", "monthly_audio_seconds"), args)
    return 0


def _accounts_topup(settings: Settings, args: argparse.Namespace) -> int:
    try:
        balance = keys.top_up(open_store(settings), args.account_id, round(args.amount * MICROS), args.note)
    except LookupError as error:
        print(f"auricle: {error}", file=sys.stderr)
        return 1
    print(f"{args.account_id}: balance {balance / MICROS:.6f} {settings.currency}")
    return 0


def _print_rows(rows: list[dict[str, Any]], fields: tuple[str, ...], args: argparse.Namespace) -> None:
    if args.json:
        print(json.dumps(rows))
        return
    print("\t".join(fields))
    for row in rows:
        print("\t".join("" if row.get(name) is None else str(row[name]) for name in fields))
