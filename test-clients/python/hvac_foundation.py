"""Drives a Coffer server with Python hvac (Debian's python3-hvac) through the foundation flow:
init 5/3, unseal, enable a KV v1 mount, write/read/list/delete, seal. Prints one JSON line with
the unseal keys and root token; exits non-zero with a message on any mismatch."""
import json
import sys

import hvac
import hvac.exceptions


def check(cond, msg):
    if not cond:
        print("ASSERTION FAILED: " + msg, file=sys.stderr)
        sys.exit(1)


url = sys.argv[1]
secret = sys.argv[2]
client = hvac.Client(url=url)

check(client.sys.is_initialized() is False, "fresh server reports initialized")
status = client.sys.read_seal_status()
check(status["initialized"] is False and status["t"] == 0, "seal status of a fresh server: %r" % status)

result = client.sys.initialize(secret_shares=5, secret_threshold=3)
keys = result["keys"]
root = result["root_token"]
check(len(keys) == 5 and len(result["keys_base64"]) == 5, "five keys in hex and base64")
check(client.sys.is_initialized() is True, "initialized after init")
check(client.sys.is_sealed() is True, "sealed right after init")

# Unseal with three keys, one at a time, watching progress.
progress = client.sys.submit_unseal_key(keys[0])
check(progress["sealed"] is True and progress["progress"] == 1 and progress["t"] == 3 and progress["n"] == 5, "progress after one key: %r" % progress)
client.sys.submit_unseal_key(keys[3])
final = client.sys.submit_unseal_key(keys[4])
check(final["sealed"] is False, "unsealed after three keys: %r" % final)
check(client.sys.is_sealed() is False, "is_sealed false after unseal")

health = client.sys.read_health_status(method="GET")
check(health["initialized"] is True and health["sealed"] is False, "health: %r" % health)

client.token = root
check(client.is_authenticated(), "root token is authenticated (lookup-self)")

client.sys.enable_secrets_engine(backend_type="kv", path="kv1", options={"version": "1"}, description="hvac kv1")
mounts = client.sys.list_mounted_secrets_engines()
check("kv1/" in mounts["data"], "kv1/ in sys/mounts data")
check("kv1/" in mounts, "kv1/ injected at the top level of sys/mounts")
check(mounts["data"]["kv1/"]["options"] == {"version": "1"}, "kv1 options: %r" % mounts["data"]["kv1/"])

kv = client.secrets.kv.v1
kv.create_or_update_secret(path="app/db", secret={"password": secret, "user": "app"}, mount_point="kv1")
kv.create_or_update_secret(path="app/api", secret={"key": "k-1"}, mount_point="kv1")
kv.create_or_update_secret(path="app/nested/deep", secret={"x": 1}, mount_point="kv1")
kv.create_or_update_secret(path="persist", secret={"value": secret}, mount_point="kv1")

read = kv.read_secret(path="app/db", mount_point="kv1")
check(read["data"] == {"password": secret, "user": "app"}, "read back: %r" % read)
check(read["lease_duration"] == 2764800 and read["renewable"] is False, "kv v1 refresh interval: %r" % read)

listed = kv.list_secrets(path="app", mount_point="kv1")  # the LIST verb
check(listed["data"]["keys"] == ["api", "db", "nested/"], "LIST keys: %r" % listed["data"])
raw = client.adapter.get("/v1/kv1/app", params={"list": "true"})  # GET ?list=true
raw_json = raw.json() if hasattr(raw, "json") else raw
check(raw_json["data"]["keys"] == ["api", "db", "nested/"], "?list=true keys: %r" % raw_json)

kv.delete_secret(path="app/api", mount_point="kv1")
try:
    kv.read_secret(path="app/api", mount_point="kv1")
    check(False, "deleted secret still readable")
except hvac.exceptions.InvalidPath:
    pass

try:
    hvac.Client(url=url, token="hvs.bogus").secrets.kv.v1.read_secret(path="app/db", mount_point="kv1")
    check(False, "bogus token could read")
except hvac.exceptions.Forbidden:
    pass

client.sys.seal()
check(client.sys.is_sealed() is True, "sealed after seal()")
try:
    kv.read_secret(path="app/db", mount_point="kv1")
    check(False, "read succeeded while sealed")
except hvac.exceptions.VaultDown:
    pass  # 503

print(json.dumps({"keys": keys, "root_token": root}))
