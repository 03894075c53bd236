"""What a reviewer checks in the rendered ``deploy/k8s`` overlays, as functions of the objects.

Each check returns problems as ``"<Kind>/<name>: what is wrong"``, so that a broken manifest
fails naming the object. The facts checked against come from the code, not from the
manifests: the services and their ports (the registry), the feeds each one follows
(``ServiceDefinition.upstreams``), the settings that exist, the feed's longest wait.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

from jiceng.api.feed import MAX_WAIT_SECONDS
from jiceng.registry import definition, service_names
from jiceng.settings import Settings

K8S = Path(__file__).resolve().parents[1] / "deploy" / "k8s"
#: Kubernetes releases every object must validate against (strict: no unknown fields).
KUBERNETES_VERSIONS = ("1.30.0", "1.33.0", "1.37.0")
#: The custom resources used, checked here by hand; any other unknown kind fails.
CUSTOM_KINDS = {
    ("postgresql.cnpg.io/v1", "Cluster"),
    ("postgresql.cnpg.io/v1", "Database"),
    ("postgresql.cnpg.io/v1", "ScheduledBackup"),
    ("barmancloud.cnpg.io/v1", "ObjectStore"),
    ("external-secrets.io/v1", "ExternalSecret"),
    ("monitoring.coreos.com/v1", "PodMonitor"),
    ("monitoring.coreos.com/v1", "PrometheusRule"),
}
WORKLOADS = ("Deployment", "Job")
#: Connections the CloudNativePG instance manager and its exporter may hold.
OPERATOR_RESERVE = 10
#: Processes of one-shot commands an operator may run at once (`kubectl exec … jiceng
#: projections rebuild`, `consumers retry`, `audit verify --live`), each with its own pools.
ONE_SHOT_COMMANDS = 2
SUPERUSER_RESERVED = 3

Obj = dict[str, Any]


def render(directory: Path) -> list[Obj]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        msg = "kubectl is not installed (it carries kustomize)"
        raise FileNotFoundError(msg)
    done = subprocess.run(
        [kubectl, "kustomize", str(directory)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if done.returncode:
        msg = f"kubectl kustomize {directory} failed: {done.stderr.strip()}"
        raise AssertionError(msg)
    return [o for o in yaml.safe_load_all(done.stdout) if o]


def name(obj: Obj) -> str:
    return f"{obj['kind']}/{obj['metadata']['name']}"


def problems(objects: list[Obj], *, pinned: bool) -> list[str]:
    """Every problem found in one rendered overlay (``pinned``: images by digest only)."""
    checks = (
        schema_problems(objects),
        custom_resource_problems(objects),
        workload_problems(objects, pinned=pinned),
        service_problems(objects),
        network_problems(objects),
        ingress_problems(objects),
        settings_problems(objects),
        reference_problems(objects),
        connection_problems(objects),
    )
    return [problem for check in checks for problem in check]


# -- schemas ---------------------------------------------------------------------------------


def schema_problems(objects: list[Obj]) -> Iterator[str]:
    for obj in objects:
        if (obj["apiVersion"], obj["kind"]) in CUSTOM_KINDS:
            continue
        for version in KUBERNETES_VERSIONS:
            try:
                kubernetes_validate.validate(obj, version, strict=True)
            except kubernetes_validate.SchemaNotFoundError:
                kind = f"{obj['apiVersion']} {obj['kind']}"
                yield f"{name(obj)}: {kind} is not in Kubernetes {version}"
            except kubernetes_validate.ValidationError as error:
                where = "/".join(map(str, error.path))
                yield f"{name(obj)}: invalid for Kubernetes {version} at {where}: {error.message}"


def custom_resource_problems(objects: list[Obj]) -> Iterator[str]:
    """The fields the operators need, checked by hand (their schemas are not bundled)."""
    clusters = {o["metadata"]["name"] for o in objects if o["kind"] == "Cluster"}
    stores = {o["metadata"]["name"] for o in objects if o["kind"] == "ObjectStore"}
    for obj in objects:
        spec = obj.get("spec", {})
        match obj["kind"]:
            case "Cluster":
                if not (isinstance(spec.get("instances"), int) and spec["instances"] >= 1):
                    yield f"{name(obj)}: spec.instances must be a whole number ≥ 1"
                if not spec.get("storage", {}).get("size"):
                    yield f"{name(obj)}: spec.storage.size is missing"
                if "max_connections" not in spec.get("postgresql", {}).get("parameters", {}):
                    yield f"{name(obj)}: max_connections is not sized"
                for plugin in spec.get("plugins", []):
                    store = plugin.get("parameters", {}).get("barmanObjectName")
                    if store and store not in stores:
                        yield f"{name(obj)}: plugin {plugin['name']} names no ObjectStore {store}"
            case "ScheduledBackup":
                if spec.get("cluster", {}).get("name") not in clusters:
                    yield f"{name(obj)}: spec.cluster.name names no rendered Cluster"
                if len(str(spec.get("schedule", "")).split()) != 6:
                    yield f"{name(obj)}: the schedule needs six fields (seconds first)"
            case "ObjectStore":
                if not spec.get("configuration", {}).get("destinationPath"):
                    yield f"{name(obj)}: spec.configuration.destinationPath is missing"
            case "Database":
                if spec.get("cluster", {}).get("name") not in clusters:
                    yield f"{name(obj)}: spec.cluster.name names no rendered Cluster"
                for key in ("name", "owner"):
                    if not spec.get(key):
                        yield f"{name(obj)}: spec.{key} is missing"
            case "ExternalSecret":
                if not spec.get("target", {}).get("name") or not spec.get("secretStoreRef"):
                    yield f"{name(obj)}: target.name and secretStoreRef are required"
            case "PodMonitor":
                if not spec.get("selector") or not spec.get("podMetricsEndpoints"):
                    yield f"{name(obj)}: selector and podMetricsEndpoints are required"
            case "PrometheusRule":
                rules = [r for g in spec.get("groups", []) for r in g.get("rules", [])]
                if not rules or any(not r.get("alert") or not r.get("expr") for r in rules):
                    yield f"{name(obj)}: every rule needs an alert and an expr"


# -- pods ------------------------------------------------------------------------------------


def pod_spec(obj: Obj) -> Obj:
    return dict(obj["spec"]["template"]["spec"])


def pod_labels(objects: list[Obj]) -> list[tuple[str, dict[str, str]]]:
    """(owner, labels) of every pod the overlay makes, CloudNativePG's instances included."""
    pods = [
        (name(o), dict(o["spec"]["template"]["metadata"].get("labels", {})))
        for o in objects
        if o["kind"] in WORKLOADS
    ]
    pods += [
        (name(o), {"cnpg.io/cluster": o["metadata"]["name"], "cnpg.io/podRole": "instance"})
        for o in objects
        if o["kind"] == "Cluster"
    ]
    return pods


def workload_problems(objects: list[Obj], *, pinned: bool) -> Iterator[str]:
    accounts = {o["metadata"]["name"] for o in objects if o["kind"] == "ServiceAccount"}
    for obj in (o for o in objects if o["kind"] in WORKLOADS):
        spec = pod_spec(obj)
        if spec.get("automountServiceAccountToken") is not False:
            yield f"{name(obj)}: the service account token is mounted"
        if spec.get("serviceAccountName") not in accounts:
            yield f"{name(obj)}: its ServiceAccount is not rendered"
        security = spec.get("securityContext", {})
        if not security.get("runAsNonRoot") or security.get("runAsUser", 0) == 0:
            yield f"{name(obj)}: the pod may run as root"
        if security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            yield f"{name(obj)}: the pod's seccomp profile is not RuntimeDefault"
        for container in spec.get("containers", []) + spec.get("initContainers", []):
            where = f"{name(obj)} container {container['name']}"
            yield from _container_problems(where, container, obj["kind"], pinned=pinned)


def _container_problems(where: str, container: Obj, kind: str, *, pinned: bool) -> Iterator[str]:
    image = container.get("image", "")
    if ":latest" in image or ("@sha256:" not in image and ":" not in image.rsplit("/", 1)[-1]):
        yield f"{where}: image {image!r} has no tag or is latest"
    if pinned and "@sha256:" not in image:
        yield f"{where}: image {image!r} is not pinned by digest"
    resources = container.get("resources", {})
    for part, key in (("requests", "cpu"), ("requests", "memory"), ("limits", "memory")):
        if key not in resources.get(part, {}):
            yield f"{where}: resources.{part}.{key} is missing"
    security = container.get("securityContext", {})
    if security.get("allowPrivilegeEscalation") is not False:
        yield f"{where}: allowPrivilegeEscalation is not false"
    if security.get("readOnlyRootFilesystem") is not True:
        yield f"{where}: the root filesystem is writable"
    if security.get("privileged"):
        yield f"{where}: privileged"
    if "ALL" not in security.get("capabilities", {}).get("drop", []):
        yield f"{where}: capabilities are not all dropped"
    if security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        yield f"{where}: the seccomp profile is not RuntimeDefault"
    if kind == "Deployment":
        ports = {p.get("name") for p in container.get("ports", [])}
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            port = container.get(probe, {}).get("httpGet", {}).get("port")
            if port is None:
                yield f"{where}: {probe} is missing"
            elif isinstance(port, str) and port not in ports:
                yield f"{where}: {probe} names port {port!r}, which the container lacks"
        yield from _command_problems(where, container)


def _command_problems(where: str, container: Obj) -> Iterator[str]:
    """Each Deployment runs a service's API or its followers, on the service's own port."""
    args = container.get("args", [])
    services = set(service_names())
    if len(args) < 2 or args[0] not in ("serve", "follow") or args[1] not in services:
        yield f"{where}: args {args} are not `serve <service>` or `follow <service>`"
        return
    offset = 100 if args[0] == "follow" else 0
    expected = definition(args[1]).port + offset
    ports = [p["containerPort"] for p in container.get("ports", [])]
    given = int(args[args.index("--port") + 1]) if "--port" in args else expected
    if ports != [expected] or given != expected:
        yield f"{where}: listens on {given}, exposes {ports}; {args[1]} expects {expected}"


def service_problems(objects: list[Obj]) -> Iterator[str]:
    """Every service has an API and a followers Deployment, a Service, PDBs; the migration
    Job exists; every selector (Service, PDB, HPA) finds what it selects."""
    deployments = {
        tuple(pod_spec(o)["containers"][0].get("args", [])[0:2])
        for o in objects
        if o["kind"] == "Deployment"
    }
    for service in service_names():
        for command in ("serve", "follow"):
            if (command, service) not in deployments:
                yield f"Deployment/{service}: no Deployment runs `jiceng {command} {service}`"
    jobs = [o for o in objects if o["kind"] == "Job"]
    if not any(pod_spec(j)["containers"][0].get("args") == ["migrate"] for j in jobs):
        yield "Job/jiceng-migrate: no Job runs `jiceng migrate`"
    pods = pod_labels(objects)
    for obj in objects:
        selector: dict[str, str] | None = None
        if obj["kind"] == "Service":
            selector = obj["spec"].get("selector", {})
        elif obj["kind"] == "PodDisruptionBudget":
            selector = obj["spec"]["selector"].get("matchLabels", {})
        if selector is not None and not any(_matches(selector, labels) for _, labels in pods):
            yield f"{name(obj)}: its selector {selector} selects no pod"
        if obj["kind"] == "HorizontalPodAutoscaler":
            target = obj["spec"]["scaleTargetRef"]["name"]
            if f"Deployment/{target}" not in {name(o) for o in objects}:
                yield f"{name(obj)}: scales Deployment/{target}, which is not rendered"


def _matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return all(labels.get(k) == v for k, v in selector.items())


def _selects(selector: Obj, labels: dict[str, str]) -> bool:
    """A LabelSelector (matchLabels and matchExpressions) against a pod's labels."""
    if not _matches(selector.get("matchLabels", {}), labels):
        return False
    for expression in selector.get("matchExpressions", []):
        value, operator = labels.get(expression["key"]), expression["operator"]
        values = expression.get("values", [])
        if operator == "In" and value not in values:
            return False
        if operator == "NotIn" and value in values:
            return False
        if operator == "Exists" and value is None:
            return False
        if operator == "DoesNotExist" and value is not None:
            return False
    return True


# -- network ---------------------------------------------------------------------------------


def network_problems(objects: list[Obj]) -> Iterator[str]:
    """Every policy selects pods that exist; all Jiceng pods are denied by default; the
    follower → feed flows allowed are exactly the feeds the services follow."""
    pods = pod_labels(objects)
    policies = [o for o in objects if o["kind"] == "NetworkPolicy"]
    for policy in policies:
        selected = [p for p, labels in pods if _selects(policy["spec"]["podSelector"], labels)]
        if not selected:
            yield f"{name(policy)}: its podSelector selects no pod"
        for peer in _peers(policy):
            if "namespaceSelector" in peer or "ipBlock" in peer:
                continue
            if not any(_selects(peer["podSelector"], labels) for _, labels in pods):
                yield f"{name(policy)}: peer {peer['podSelector']} selects no pod"
    jiceng = [(p, labels) for p, labels in pods if labels.get("app.kubernetes.io/part-of")]
    for owner, labels in jiceng:
        denying = [
            p
            for p in policies
            if _selects(p["spec"]["podSelector"], labels)
            and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
        ]
        if not denying:
            yield f"{owner}: no NetworkPolicy denies its traffic by default"
    expected = {
        (service, upstream)
        for service in service_names()
        for upstream in definition(service).upstreams(Settings())
    }
    egress = _flows(policies, pods, "egress")
    ingress = _flows(policies, pods, "ingress")
    for flows, direction in ((egress, "egress"), (ingress, "ingress")):
        for missing in sorted(expected - flows):
            reader, feed = missing
            yield f"NetworkPolicy: {direction} does not let {reader}'s followers read {feed}'s feed"
        for extra in sorted(flows - expected):
            reader, api = extra
            yield (
                f"NetworkPolicy: {direction} lets {reader}'s followers reach {api}, "
                "which they do not follow"
            )


def _peers(policy: Obj) -> Iterator[Obj]:
    for rule in policy["spec"].get("ingress", []):
        yield from (p for p in rule.get("from", []) if "podSelector" in p)
    for rule in policy["spec"].get("egress", []):
        yield from (p for p in rule.get("to", []) if "podSelector" in p)


def _flows(
    policies: list[Obj], pods: list[tuple[str, dict[str, str]]], way: str
) -> set[tuple[str, str]]:
    """(follower's service, API's service) pairs a direction of the policies allows."""
    followers = [
        labels for _, labels in pods if labels.get("app.kubernetes.io/component") == "followers"
    ]
    apis = [labels for _, labels in pods if labels.get("app.kubernetes.io/component") == "api"]
    allowed: set[tuple[str, str]] = set()
    for policy in policies:
        own = [labels for _, labels in pods if _selects(policy["spec"]["podSelector"], labels)]
        for rule in policy["spec"].get(way, []):
            peers = rule.get("to" if way == "egress" else "from", [])
            for peer in peers:
                if "podSelector" not in peer or "namespaceSelector" in peer:
                    continue
                others = [labels for _, labels in pods if _selects(peer["podSelector"], labels)]
                sources, targets = (own, others) if way == "egress" else (others, own)
                allowed |= {
                    (s["app.kubernetes.io/name"], t["app.kubernetes.io/name"])
                    for s in sources
                    if s in followers
                    for t in targets
                    if t in apis and s["app.kubernetes.io/name"] != t["app.kubernetes.io/name"]
                }
    return allowed


def ingress_problems(objects: list[Obj]) -> Iterator[str]:
    services = {o["metadata"]["name"] for o in objects if o["kind"] == "Service"}
    for ingress in (o for o in objects if o["kind"] == "Ingress"):
        timeout = (
            ingress["metadata"]
            .get("annotations", {})
            .get("nginx.ingress.kubernetes.io/proxy-read-timeout", "60")
        )
        if float(timeout) <= MAX_WAIT_SECONDS:
            longest = f"{MAX_WAIT_SECONDS:.0f} s"
            yield f"{name(ingress)}: read timeout {timeout} s is not above the feed's {longest}"
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]["name"]
                if path["path"].rstrip("/") != f"/{backend}":
                    yield f"{name(ingress)}: path {path['path']} is not /{backend}/"
                if backend not in services or backend not in service_names():
                    yield f"{name(ingress)}: backend {backend} is not a rendered service's API"


def settings_problems(objects: list[Obj]) -> Iterator[str]:
    """Every variable configured is a setting that exists; probes stay off the prefix."""
    known = {f"JICENG_{field.upper()}" for field in Settings.model_fields} | {"JICENG_SECRETS_DIR"}
    for config in (
        o
        for o in objects
        if o["kind"] == "ConfigMap" and "jiceng-settings" in o["metadata"]["name"]
    ):
        data = config.get("data", {})
        for key in sorted(set(data) - known):
            yield f"{name(config)}: {key} is no setting"
        if data.get("JICENG_PROBES_UNDER_PREFIX") != "false":
            yield f"{name(config)}: /readyz and /metrics would be reachable through the Ingress"
        urls = json.loads(data.get("JICENG_SERVICE_URLS", "{}"))
        if set(urls) != set(service_names()):
            yield f"{name(config)}: JICENG_SERVICE_URLS does not name every service"
        secrets_dir = data.get("JICENG_SECRETS_DIR")
        for workload in (o for o in objects if o["kind"] in WORKLOADS):
            mounts = {
                m["mountPath"] for m in pod_spec(workload)["containers"][0].get("volumeMounts", [])
            }
            if secrets_dir not in mounts:
                yield f"{name(workload)}: nothing is mounted at JICENG_SECRETS_DIR={secrets_dir}"
    mounted = {secret for w in objects if w["kind"] in WORKLOADS for secret in mounted_secrets(w)}
    for secret, keys in secret_keys(objects).items():
        if secret in mounted:
            for key in sorted(keys - known):
                yield f"Secret/{secret}: {key} is no setting"
    yield from _signing_key_problems(objects)


def secret_keys(objects: list[Obj]) -> dict[str, set[str]]:
    """The keys of every Secret rendered or made by an ExternalSecret's template."""
    keys = {
        o["metadata"]["name"]: set(o.get("data", {}) or {}) | set(o.get("stringData", {}) or {})
        for o in objects
        if o["kind"] == "Secret"
    }
    for o in (o for o in objects if o["kind"] == "ExternalSecret"):
        template = o["spec"]["target"].get("template", {}).get("data", {})
        keys[o["spec"]["target"]["name"]] = set(template)
    return keys


def _signing_key_problems(objects: list[Obj]) -> Iterator[str]:
    """A key that mints tokens is mounted in the followers' pods only."""
    minting = {s for s, keys in secret_keys(objects).items() if "JICENG_JWT_PRIVATE_KEY" in keys}
    for workload in (o for o in objects if o["kind"] in WORKLOADS):
        labels = workload["spec"]["template"]["metadata"].get("labels", {})
        if labels.get("app.kubernetes.io/component") == "followers":
            continue
        for secret in sorted(set(mounted_secrets(workload)) & minting):
            yield f"{name(workload)}: mounts {secret}, which holds the key that mints tokens"


def reference_problems(objects: list[Obj]) -> Iterator[str]:
    """Every Secret a pod or the database reads is rendered, made by an ExternalSecret, or
    made by CloudNativePG (``<cluster>-ca``); every ConfigMap a pod reads is rendered."""
    secrets = {o["metadata"]["name"] for o in objects if o["kind"] == "Secret"}
    secrets |= {o["spec"]["target"]["name"] for o in objects if o["kind"] == "ExternalSecret"}
    secrets |= {f"{o['metadata']['name']}-ca" for o in objects if o["kind"] == "Cluster"}
    configs = {o["metadata"]["name"] for o in objects if o["kind"] == "ConfigMap"}
    for obj in objects:
        for ref in _secret_references(obj):
            if ref not in secrets:
                yield f"{name(obj)}: reads Secret {ref}, which nothing makes"
        if obj["kind"] in WORKLOADS:
            for source in pod_spec(obj)["containers"][0].get("envFrom", []):
                ref = source.get("configMapRef", {}).get("name")
                if ref and ref not in configs:
                    yield f"{name(obj)}: reads ConfigMap {ref}, which is not rendered"


def mounted_secrets(obj: Obj, *, optional: bool = True) -> Iterator[str]:
    """The Secrets a workload's pods mount (whole, or as sources of a projected volume)."""
    for volume in pod_spec(obj).get("volumes", []):
        if "secret" in volume and (optional or not volume["secret"].get("optional")):
            yield volume["secret"]["secretName"]
        for source in volume.get("projected", {}).get("sources", []):
            if "secret" in source and (optional or not source["secret"].get("optional")):
                yield source["secret"]["name"]


def _secret_references(obj: Obj) -> Iterable[str]:
    if obj["kind"] in WORKLOADS:
        yield from mounted_secrets(obj, optional=False)
    if obj["kind"] == "Cluster":
        for role in obj["spec"].get("managed", {}).get("roles", []):
            if "passwordSecret" in role:
                yield role["passwordSecret"]["name"]
    if obj["kind"] == "ObjectStore":
        credentials = obj["spec"]["configuration"].get("s3Credentials", {})
        yield from (ref["name"] for ref in credentials.values() if isinstance(ref, dict))


# -- connections -----------------------------------------------------------------------------


def connection_problems(objects: list[Obj]) -> Iterator[str]:
    """Pods at their most (HPA maximum or replicas, plus the rolling update's surge, plus one
    still terminating, plus the migration Job and two one-shot commands) × connections per
    process ≤ the database's max_connections, less the superuser's reserve and the
    operator's; and per service within its role's limit."""
    budget = connection_budget(objects)
    if budget is None:
        return
    if budget["total"] > budget["available"]:
        yield (
            f"Cluster/{budget['cluster']}: the pods may open {budget['total']} connections, "
            f"max_connections leaves {budget['available']}"
        )
    for service, used in budget["per_service"].items():
        limit = budget["role_limits"].get(service.replace("-", "_"), -1)
        if limit != -1 and used > limit:
            yield f"Cluster/{budget['cluster']}: {service} may open {used}, its role allows {limit}"


def connection_budget(objects: list[Obj]) -> dict[str, Any] | None:
    clusters = [o for o in objects if o["kind"] == "Cluster"]
    configs = [
        o
        for o in objects
        if o["kind"] == "ConfigMap" and "jiceng-settings" in o["metadata"]["name"]
    ]
    if not clusters or not configs:
        return None
    data = configs[0]["data"]
    defaults = Settings()
    per_process = 3 + sum(
        int(data.get(f"JICENG_{key.upper()}", getattr(defaults, key)))
        for key in (
            "event_pool_size",
            "event_pool_overflow",
            "read_pool_size",
            "read_pool_overflow",
        )
    )
    ceilings = {
        o["spec"]["scaleTargetRef"]["name"]: o["spec"]["maxReplicas"]
        for o in objects
        if o["kind"] == "HorizontalPodAutoscaler"
    }
    # The Job's turn at each service, and the one-shot commands, may all be on one service.
    per_service = dict.fromkeys(service_names(), (1 + ONE_SHOT_COMMANDS) * per_process)
    lines: list[tuple[str, int]] = []
    for deployment in (o for o in objects if o["kind"] == "Deployment"):
        deployment_name = deployment["metadata"]["name"]
        replicas = ceilings.get(deployment_name, deployment["spec"].get("replicas", 1))
        surge = deployment["spec"].get("strategy", {}).get("rollingUpdate", {}).get("maxSurge", 1)
        # The rolling update's new pod, and an old one still in its grace period (a
        # terminating pod does not count against maxSurge).
        pods = replicas + int(surge) + 1
        service = pod_spec(deployment)["containers"][0]["args"][1]
        per_service[service] += pods * per_process
        lines.append((deployment_name, pods))
    jobs = sum(1 for o in objects if o["kind"] == "Job")
    lines.append(("jiceng-migrate", jobs))
    lines.append(("one-shot commands", ONE_SHOT_COMMANDS))
    total = sum(pods for _, pods in lines) * per_process
    cluster = clusters[0]
    maximum = int(cluster["spec"]["postgresql"]["parameters"]["max_connections"])
    roles = {
        r["name"]: r.get("connectionLimit", -1)
        for r in cluster["spec"].get("managed", {}).get("roles", [])
    }
    return {
        "cluster": cluster["metadata"]["name"],
        "per_process": per_process,
        "pods": lines,
        "total": total,
        "max_connections": maximum,
        "available": maximum - SUPERUSER_RESERVED - OPERATOR_RESERVE,
        "per_service": per_service,
        "role_limits": roles,
    }
