"""Logs in to Coffer with Python hvac through userpass and AppRole, and checks the tokens it gets.
Exits non-zero with a message on any mismatch."""
import sys

import hvac
import hvac.exceptions


def check(cond, msg):
    if not cond:
        print("ASSERTION FAILED: " + msg, file=sys.stderr)
        sys.exit(1)


url, root = sys.argv[1], sys.argv[2]
admin = hvac.Client(url=url, token=root)
admin.sys.create_or_update_policy(name="app", policy='path "secret/data/app/*" { capabilities = ["read"] }')

# userpass
admin.sys.enable_auth_method(method_type="userpass", path="userpass")
admin.write("auth/userpass/users/alice", password="correct horse", token_policies="app", token_ttl="1h")
user = hvac.Client(url=url)
login = user.auth.userpass.login(username="alice", password="correct horse")
check(login["auth"]["policies"] == ["app", "default"], "userpass policies: %r" % login["auth"])
check(login["auth"]["lease_duration"] == 3600 and login["auth"]["renewable"] is True, "userpass ttl: %r" % login["auth"])
check(login["auth"]["metadata"] == {"username": "alice"}, "userpass metadata: %r" % login["auth"])
check(user.is_authenticated(), "userpass token authenticates")
me = user.auth.token.lookup_self()["data"]
check(me["display_name"] == "userpass-alice" and me["path"] == "auth/userpass/login/alice", "lookup-self: %r" % me)
for bad_user, bad_pass in (("alice", "wrong"), ("nobody", "correct horse")):
    try:
        hvac.Client(url=url).auth.userpass.login(username=bad_user, password=bad_pass)
        check(False, "bad credentials accepted")
    except hvac.exceptions.InvalidRequest as e:
        check("invalid username or password" in str(e), "error text: %s" % e)

# approle
admin.sys.enable_auth_method(method_type="approle", path="approle")
admin.auth.approle.create_or_update_approle(role_name="web", token_policies=["app"], secret_id_num_uses=1, token_ttl="20m")
role_id = admin.auth.approle.read_role_id(role_name="web")["data"]["role_id"]
secret = admin.auth.approle.generate_secret_id(role_name="web")["data"]
app = hvac.Client(url=url)
out = app.auth.approle.login(role_id=role_id, secret_id=secret["secret_id"])
check(out["auth"]["policies"] == ["app", "default"] and out["auth"]["lease_duration"] == 1200, "approle auth: %r" % out["auth"])
check(app.is_authenticated(), "approle token authenticates")
try:
    hvac.Client(url=url).auth.approle.login(role_id=role_id, secret_id=secret["secret_id"])
    check(False, "a single-use secret id worked twice")
except hvac.exceptions.InvalidRequest:
    pass
print("ok")
