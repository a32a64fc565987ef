#!/usr/bin/python3
"""mini-kindnet: a stand-in for kind's kindnetd (no registry here).
Writes the ptp CNI config for this node's podCIDR, routes other nodes' podCIDRs
via their InternalIP, and masquerades pod traffic leaving the pod subnet."""
import json, os, ssl, subprocess, time, urllib.request
SA = "/var/run/secrets/kubernetes.io/serviceaccount"
host_ip = os.environ["HOST_IP"]
pod_subnet = os.environ.get("POD_SUBNET", "10.244.0.0/16")
ep = os.environ.get("CONTROL_PLANE_ENDPOINT") or "%s:%s" % (os.environ["KUBERNETES_SERVICE_HOST"], os.environ["KUBERNETES_SERVICE_PORT"])
ctx = ssl.create_default_context(cafile=SA + "/ca.crt")
def nodes():
    tok = open(SA + "/token").read().strip()
    req = urllib.request.Request("https://%s/api/v1/nodes" % ep, headers={"Authorization": "Bearer " + tok})
    return json.load(urllib.request.urlopen(req, context=ctx, timeout=10))["items"]
def sh(*a):
    return subprocess.run(a, capture_output=True, text=True).returncode
def write_cni(cidr):
    conf = {"cniVersion": "0.3.1", "name": "kindnet", "plugins": [
        {"type": "ptp", "ipMasq": False, "mtu": 1500,
         "ipam": {"type": "host-local", "dataDir": "/run/cni-ipam-state",
                  "routes": [{"dst": "0.0.0.0/0"}], "ranges": [[{"subnet": cidr}]]}},
        {"type": "portmap", "capabilities": {"portMappings": True}}]}
    path = "/etc/cni/net.d/10-kindnet.conflist"
    data = json.dumps(conf, indent=2)
    try:
        if open(path).read() == data: return
    except OSError: pass
    open(path + ".tmp", "w").write(data); os.rename(path + ".tmp", path)
    print("wrote CNI config for", cidr, flush=True)
while True:
    try:
        if sh("iptables", "-t", "nat", "-C", "POSTROUTING", "-s", pod_subnet, "!", "-d", pod_subnet, "-j", "MASQUERADE") != 0:
            sh("iptables", "-t", "nat", "-A", "POSTROUTING", "-s", pod_subnet, "!", "-d", pod_subnet, "-j", "MASQUERADE")
        for n in nodes():
            ips = [a["address"] for a in n["status"].get("addresses", []) if a["type"] == "InternalIP"]
            cidr = n["spec"].get("podCIDR")
            if not cidr or not ips: continue
            if host_ip in ips: write_cni(cidr)
            else: sh("ip", "route", "replace", cidr, "via", ips[0])
    except Exception as e:
        print("error:", e, flush=True)
    time.sleep(10)
