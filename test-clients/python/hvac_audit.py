"""Drives Coffer's audit devices with Python hvac: enable a file device, find the HMAC of a known
secret (sys/audit-hash) in the file but never the secret or a raw token, list, disable.
Arguments: url root-token audit-file-path. Prints "ok"."""
import json
import sys

import hvac


def check(cond, msg):
    if not cond:
        print("ASSERTION FAILED: " + msg, file=sys.stderr)
        sys.exit(1)


url, root, path = sys.argv[1], sys.argv[2], sys.argv[3]
client = hvac.Client(url=url, token=root)
client.sys.enable_audit_device(device_type="file", path="file", description="hvac", options={"file_path": path})
devices = client.sys.list_enabled_audit_devices()
listed = devices["data"] if "data" in devices else devices
check(listed["file/"]["type"] == "file" and listed["file/"]["options"]["file_path"] == path, "listed: %r" % listed)

secret = "audit-me-0c41f9"
client.secrets.kv.v2.create_or_update_secret(path="audited", secret={"value": secret})
read = client.secrets.kv.v2.read_secret_version(path="audited")
check(read["data"]["data"]["value"] == secret, "read back")
hashed = client.sys.calculate_hash(path="file", input_to_hash=secret)
digest = hashed["data"]["hash"] if "data" in hashed else hashed["hash"]
check(digest.startswith("hmac-sha256:"), "hash: %r" % hashed)

text = open(path).read()
check(secret not in text, "the secret is in the audit file")
check(root not in text, "the root token is in the audit file")
check(digest in text, "the secret's HMAC is not in the audit file")
entries = [json.loads(line) for line in text.splitlines() if line]
check(any(e["type"] == "request" for e in entries) and any(e["type"] == "response" for e in entries), "both entry types")

client.sys.disable_audit_device(path="file")
after = client.sys.list_enabled_audit_devices()
check("file/" not in (after["data"] if "data" in after else after), "disabled")
print("ok")
