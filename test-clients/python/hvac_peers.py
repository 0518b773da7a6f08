"""Logs in to Coffer with Python hvac through the jwt and kubernetes auth methods, whose peers (a
JWKS endpoint and a kube-apiserver answering TokenReview) the calling test serves on loopback, and
checks identity: entities, external groups fed by the groups claim, and templated policies that
confine a service account to its own namespace. Input: a JSON file named by argv[1]. Prints "ok"."""
import json
import sys

import hvac
import hvac.exceptions


def check(cond, msg):
    if not cond:
        print("ASSERTION FAILED: " + msg, file=sys.stderr)
        sys.exit(1)


def refused(fn, what, error=hvac.exceptions.InvalidRequest):
    try:
        fn()
    except error:
        return
    check(False, what + " was accepted")


cfg = json.load(open(sys.argv[1]))
url = cfg["url"]
admin = hvac.Client(url=url, token=cfg["root"])

# --- jwt -----------------------------------------------------------------------------------
admin.sys.enable_auth_method(method_type="jwt", path="jwt")
admin.auth.jwt.configure(jwks_url=cfg["jwks_url"], jwks_ca_pem=cfg["ca_pem"], bound_issuer=cfg["issuer"])
conf = admin.auth.jwt.read_config()["data"]
check(conf["jwks_url"] == cfg["jwks_url"] and conf["bound_issuer"] == cfg["issuer"], "jwt config: %r" % conf)
admin.sys.create_or_update_policy(name="jwt-app", policy='path "secret/data/jwt-app/*" { capabilities = ["read"] }')
admin.auth.jwt.create_role(
    name="workload",
    role_type="jwt",
    user_claim="sub",
    allowed_redirect_uris=[],
    bound_audiences=["coffer"],
    bound_claims={"env": "prod"},
    claim_mappings={"namespace": "namespace"},
    groups_claim="groups",
    token_policies=["jwt-app"],
    token_ttl="30m",
)
role = admin.auth.jwt.read_role(name="workload")["data"]
check(role["bound_audiences"] == ["coffer"] and role["user_claim"] == "sub" and role["token_ttl"] == 1800, "jwt role: %r" % role)

# An external group fed by the groups claim.
jwt_accessor = admin.sys.list_auth_methods()["data"]["jwt/"]["accessor"]
admin.sys.create_or_update_policy(name="ops", policy='path "secret/data/ops/*" { capabilities = ["read"] }')
group = admin.secrets.identity.create_or_update_group(name="ops-team", group_type="external", policies=["ops"])["data"]
admin.secrets.identity.create_or_update_group_alias(name="ops", mount_accessor=jwt_accessor, canonical_id=group["id"])

workload = hvac.Client(url=url)
out = workload.auth.jwt.jwt_login(role="workload", jwt=cfg["jwt_ok"])["auth"]
check(out["token_policies"] == ["default", "jwt-app"], "jwt token policies: %r" % out)
check(out["identity_policies"] == ["ops"], "jwt identity policies: %r" % out)
check(out["policies"] == ["default", "jwt-app", "ops"], "jwt policies: %r" % out)
check(out["metadata"]["role"] == "workload" and out["metadata"]["namespace"] == "team-a", "jwt metadata: %r" % out["metadata"])
check(out["lease_duration"] == 1800, "jwt ttl: %r" % out)
check(workload.is_authenticated(), "jwt token authenticates")
entity = admin.secrets.identity.read_entity(entity_id=out["entity_id"])["data"]
check(entity["aliases"][0]["name"] == "workload-1" and entity["aliases"][0]["mount_type"] == "jwt", "jwt entity: %r" % entity)
check(group["id"] in entity["group_ids"], "entity in external group: %r" % entity)
again = hvac.Client(url=url).auth.jwt.jwt_login(role="workload", jwt=cfg["jwt_ok"])["auth"]
check(again["entity_id"] == out["entity_id"], "second jwt login reuses the entity")

for name in ("jwt_expired", "jwt_not_yet_valid", "jwt_wrong_aud", "jwt_wrong_iss", "jwt_bad_sig", "jwt_wrong_claim"):
    refused(lambda: hvac.Client(url=url).auth.jwt.jwt_login(role="workload", jwt=cfg[name]), name)

# --- kubernetes ----------------------------------------------------------------------------
admin.sys.enable_auth_method(method_type="kubernetes", path="kubernetes")
admin.auth.kubernetes.configure(kubernetes_host=cfg["k8s_host"], kubernetes_ca_cert=cfg["ca_pem"], token_reviewer_jwt=cfg["reviewer_jwt"])
k8s_accessor = admin.sys.list_auth_methods()["data"]["kubernetes/"]["accessor"]
ns = "{{identity.entity.aliases.%s.metadata.service_account_namespace}}" % k8s_accessor
admin.sys.create_or_update_policy(name="per-namespace", policy='path "secret/data/%s/*" { capabilities = ["read"] }' % ns)
admin.auth.kubernetes.create_role(
    name="apps",
    bound_service_account_names=["app"],
    bound_service_account_namespaces=["team-*"],
    policies=["per-namespace"],
    ttl="1h",
)
admin.secrets.kv.v2.create_or_update_secret(path="team-a/db", secret={"password": "a"})
admin.secrets.kv.v2.create_or_update_secret(path="team-b/db", secret={"password": "b"})

pod = hvac.Client(url=url)
out = pod.auth.kubernetes.login(role="apps", jwt=cfg["k8s_team_a"])["auth"]
check(out["metadata"]["service_account_namespace"] == "team-a" and out["metadata"]["service_account_name"] == "app", "k8s metadata: %r" % out)
check(out["policies"] == ["default", "per-namespace"], "k8s policies: %r" % out)
check(pod.secrets.kv.v2.read_secret_version(path="team-a/db")["data"]["data"] == {"password": "a"}, "team-a reads its own secret")
try:
    pod.secrets.kv.v2.read_secret_version(path="team-b/db")
    check(False, "team-a read team-b's secret")
except hvac.exceptions.Forbidden:
    pass
other = hvac.Client(url=url)
other.auth.kubernetes.login(role="apps", jwt=cfg["k8s_team_b"])
check(other.secrets.kv.v2.read_secret_version(path="team-b/db")["data"]["data"] == {"password": "b"}, "team-b reads its own secret")

# Vault's kubernetes method refuses with 403 (the jwt method with 400).
forbidden = hvac.exceptions.Forbidden
refused(lambda: hvac.Client(url=url).auth.kubernetes.login(role="apps", jwt=cfg["k8s_unauthenticated"]), "a token the apiserver does not authenticate", forbidden)
refused(lambda: hvac.Client(url=url).auth.kubernetes.login(role="apps", jwt=cfg["k8s_wrong_namespace"]), "a service account outside the bound namespaces", forbidden)
print("ok")
