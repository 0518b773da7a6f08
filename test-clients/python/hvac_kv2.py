"""Drives Coffer's KV v2 engine with Python hvac (Debian's python3-hvac): write with cas, read
versions, list, metadata, soft delete / undelete / destroy, config. Exits non-zero on mismatch."""
import sys

import hvac
import hvac.exceptions


def check(cond, msg):
    if not cond:
        print("ASSERTION FAILED: " + msg, file=sys.stderr)
        sys.exit(1)


client = hvac.Client(url=sys.argv[1], token=sys.argv[2])
kv = client.secrets.kv.v2

kv.configure(max_versions=5, cas_required=False, mount_point="secret")
cfg = kv.read_configuration(mount_point="secret")
check(cfg["data"]["max_versions"] == 5 and cfg["data"]["delete_version_after"] == "0s", "config: %r" % cfg["data"])

w1 = kv.create_or_update_secret(path="app/db", secret={"password": "one"}, mount_point="secret")
check(w1["data"]["version"] == 1 and w1["data"]["destroyed"] is False, "first write: %r" % w1["data"])
w2 = kv.create_or_update_secret(path="app/db", secret={"password": "two"}, cas=1, mount_point="secret")
check(w2["data"]["version"] == 2, "cas write: %r" % w2["data"])
try:
    kv.create_or_update_secret(path="app/db", secret={"password": "stale"}, cas=1, mount_point="secret")
    check(False, "stale cas accepted")
except hvac.exceptions.InvalidRequest:
    pass

latest = kv.read_secret_version(path="app/db", mount_point="secret")
check(latest["data"]["data"] == {"password": "two"} and latest["data"]["metadata"]["version"] == 2, "latest: %r" % latest["data"])
first = kv.read_secret_version(path="app/db", version=1, mount_point="secret")
check(first["data"]["data"] == {"password": "one"}, "version 1: %r" % first["data"])

kv.create_or_update_secret(path="app/api", secret={"key": "k"}, mount_point="secret")
listed = kv.list_secrets(path="app", mount_point="secret")
check(listed["data"]["keys"] == ["api", "db"], "list: %r" % listed["data"])

meta = kv.read_secret_metadata(path="app/db", mount_point="secret")
check(meta["data"]["current_version"] == 2 and set(meta["data"]["versions"].keys()) == {"1", "2"}, "metadata: %r" % meta["data"])
kv.update_metadata(path="app/db", max_versions=3, mount_point="secret")
check(kv.read_secret_metadata(path="app/db", mount_point="secret")["data"]["max_versions"] == 3, "metadata update")

kv.delete_latest_version_of_secret(path="app/db", mount_point="secret")
try:
    kv.read_secret_version(path="app/db", mount_point="secret")
    check(False, "deleted version readable")
except hvac.exceptions.InvalidPath:
    pass
kv.undelete_secret_versions(path="app/db", versions=[2], mount_point="secret")
check(kv.read_secret_version(path="app/db", mount_point="secret")["data"]["data"] == {"password": "two"}, "undeleted")
kv.destroy_secret_versions(path="app/db", versions=[1], mount_point="secret")
m = kv.read_secret_metadata(path="app/db", mount_point="secret")
check(m["data"]["versions"]["1"]["destroyed"] is True, "destroyed flag: %r" % m["data"]["versions"])

kv.delete_metadata_and_all_versions(path="app/api", mount_point="secret")
check(kv.list_secrets(path="app", mount_point="secret")["data"]["keys"] == ["db"], "metadata delete")
print("ok")
