#!/bin/bash
# kindlab recipe: a real kind v0.11.1 cluster running Kubernetes v1.21.14 with NO container registry
# (only Debian packages + Go module proxy). Everything lives under /tmp/kindlab except:
#   apt-installed docker.io/debootstrap, /var/lib/docker, an empty /lib/modules (kind bind-mounts it).
# Static inputs live in /tmp/kindlab/assets (runc wrapper, daemon.json, Dockerfiles, mini-kindnet, kind config).
# Usage: recipe.sh            full run (steps 1-4), leaves cluster "lab" + dockerd running
#        teardown.sh          step 5
# Set GOCACHE to a fresh dir to measure a cold compile.
set -euo pipefail
L=/tmp/kindlab
A=$L/assets
export PATH=$L/bin:/usr/bin:/usr/sbin:/usr/local/go/bin:$PATH KUBECONFIG=$L/kubeconfig
mkdir -p $L/bin $L/runtime $L/images
T0=$(date +%s)
step() { echo "=== $(date +%T) $*"; S=$(date +%s); }
done_() { echo "--- $1: $(( $(date +%s)-S ))s"; echo "$1 $(( $(date +%s)-S ))" >> $L/timings.txt; }
: > $L/timings.txt

# ---------------------------------------------------------------- 1. docker with a cap-clamping runc
step "1a apt install docker.io debootstrap"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null
done_ 1a-apt

step "1b runc wrapper + dockerd"
install -m 0755 $A/runc-clamp $L/runtime/runc-clamp
mkdir -p /lib/modules
if ! /usr/bin/docker info >/dev/null 2>&1; then
  nohup dockerd --config-file $A/daemon.json > $L/dockerd.log 2>&1 &
  echo $! > $L/dockerd.pid
  for i in $(seq 60); do /usr/bin/docker info >/dev/null 2>&1 && break; sleep 1; done
fi
docker info 2>/dev/null | grep -q 'Default Runtime: runc-clamp'
done_ 1b-dockerd

step "1c debootstrap rootfs + docker import"
if ! docker image inspect lab/rootfs:bookworm >/dev/null 2>&1; then
  rm -rf $L/rootfs
  debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,dbus,containerd,runc,containernetworking-plugins,conntrack,socat,iptables,ebtables,ethtool,kmod,iproute2,procps,ca-certificates,mount,util-linux,python3,libseccomp2,nfs-common,bash,curl,etcd-server,e2fsprogs \
    bookworm $L/rootfs http://deb.debian.org/debian > $L/debootstrap.log 2>&1
  rm -rf $L/rootfs/var/cache/apt/archives/*.deb $L/rootfs/var/lib/apt/lists/*
  tar -C $L/rootfs -c . | docker import --change 'ENV container docker' --change 'ENTRYPOINT ["/sbin/init"]' - lab/rootfs:bookworm
  rm -rf $L/rootfs
fi
docker run --rm --privileged --entrypoint /bin/sh lab/rootfs:bookworm -c 'echo privileged-ok'
done_ 1c-rootfs

# ---------------------------------------------------------------- 2. kind
step "2 build kind v0.11.1"
[ -x $L/bin/kind ] || GOBIN=$L/bin CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install sigs.k8s.io/kind@v0.11.1
kind version
done_ 2-kind

# ---------------------------------------------------------------- 3. Kubernetes, CoreDNS, pause
step "3a build kubeadm kubelet kube-proxy kube-scheduler kube-controller-manager kubectl kube-apiserver v1.21.14"
if [ ! -d $L/k8s ]; then
  # workspace prepared by the project's toolchain (openapi generated); copied, never modified in place
  W=$(ls -d ~/.cache/aws-sb-conformance/toolchain/*/src/kubernetes-openapi | head -1)
  cp -a "$W" $L/k8s
fi
V=v1.21.14
LD="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LD="$LD -X $p.gitVersion=$V -X $p.gitMajor=1 -X $p.gitMinor=21 -X $p.gitTreeState=clean"
done
for b in kubeadm kubelet kube-proxy kube-scheduler kube-controller-manager kubectl kube-apiserver; do
  [ -x $L/bin/$b ] && continue
  s=$(date +%s)
  (cd $L/k8s && CGO_ENABLED=0 GOFLAGS="-mod=mod -buildvcs=false" go build -trimpath -ldflags "$LD" -o $L/bin/$b.partial k8s.io/kubernetes/cmd/$b)
  mv $L/bin/$b.partial $L/bin/$b; echo "  $b $(( $(date +%s)-s ))s"
done
done_ 3a-k8s

step "3b CoreDNS v1.8.0 + pause"
[ -x $L/bin/coredns ] || GOBIN=$L/bin CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install -ldflags "-s -w" github.com/coredns/coredns@v1.8.0
[ -x $L/bin/pause ] || gcc -Os -static -DVERSION=3.4.1 -o $L/bin/pause $L/k8s/kubernetes-src/build/pause/linux/pause.c
done_ 3b-coredns-pause

# ---------------------------------------------------------------- 4. images, node image, cluster
step "4a component images with kubeadm's exact tags"
C=$L/images/ctx; rm -rf $C; mkdir -p $C
cp $A/ctx/* $C/
cp $L/bin/{kube-apiserver,kube-controller-manager,kube-scheduler,kube-proxy,pause,coredns} $C/
(cd $C
 for b in kube-apiserver kube-controller-manager kube-scheduler; do docker build -q -f Dockerfile.cp --build-arg BIN=$b -t k8s.gcr.io/$b:$V . ; done
 docker build -q -f Dockerfile.proxy   -t k8s.gcr.io/kube-proxy:$V .
 docker build -q -f Dockerfile.etcd    -t k8s.gcr.io/etcd:3.4.13-0 .
 docker build -q -f Dockerfile.pause   -t k8s.gcr.io/pause:3.4.1 .
 docker tag k8s.gcr.io/pause:3.4.1 k8s.gcr.io/pause:3.5
 docker build -q -f Dockerfile.coredns -t k8s.gcr.io/coredns/coredns:v1.8.0 .
 docker build -q -f Dockerfile.kindnet -t docker.io/lab/mini-kindnet:v1 .)
# kubeadm's list must be a subset of what we built
for i in $(kubeadm config images list --kubernetes-version $V); do docker image inspect $i >/dev/null; done
docker save -o $L/images/preload.tar k8s.gcr.io/kube-apiserver:$V k8s.gcr.io/kube-controller-manager:$V \
  k8s.gcr.io/kube-scheduler:$V k8s.gcr.io/kube-proxy:$V k8s.gcr.io/etcd:3.4.13-0 k8s.gcr.io/pause:3.4.1 k8s.gcr.io/pause:3.5 \
  k8s.gcr.io/coredns/coredns:v1.8.0 docker.io/lab/mini-kindnet:v1
rm -rf $C
done_ 4a-images

step "4b node image (kind base equivalent + binaries + preloaded containerd store)"
N=$L/images/node; rm -rf $N; mkdir -p $N
cp -r /root/go/pkg/mod/sigs.k8s.io/kind@v0.11.1/images/base/files $N/files; chmod -R u+w $N/files
cp $A/node/* $N/; cp $A/runc-clamp $L/bin/kubelet $L/bin/kubeadm $L/bin/kubectl $N/
docker build -q -t lab/node-nopreload:$V $N
docker rm -f kindlab-build >/dev/null 2>&1 || true
docker run -d --name kindlab-build --privileged --entrypoint sleep lab/node-nopreload:$V infinity
docker cp $L/images/preload.tar kindlab-build:/kind/preload.tar
docker exec kindlab-build bash -c 'nohup containerd > /kind/containerd-build.log 2>&1 &
  for i in $(seq 30); do ctr version >/dev/null 2>&1 && break; sleep 1; done
  ctr -n k8s.io images import --all-platforms --no-unpack /kind/preload.tar >/dev/null && ctr -n k8s.io images ls -q
  pkill containerd; for i in $(seq 30); do pgrep containerd >/dev/null || break; sleep 1; done
  rm -f /kind/preload.tar /kind/containerd-build.log'
docker commit --change 'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]' kindlab-build lab/node:$V
docker rm -f kindlab-build
rm -rf $N $L/images/preload.tar
docker rmi lab/node-nopreload:$V >/dev/null
done_ 4b-node-image

step "4c kind create cluster"
kind create cluster --name lab --config $A/kind-config.yaml --image lab/node:$V --wait 4m
kubectl wait --for=condition=Ready node --all --timeout=120s
done_ 4c-create

step "4d CoreDNS: cluster names only (drop forward . /etc/resolv.conf)"
kubectl -n kube-system get cm coredns -o jsonpath='{.data.Corefile}' \
  | python3 -c 'import re,sys; print(re.sub(r"\n\s*forward \. /etc/resolv.conf \{[^}]*\}", "", sys.stdin.read()))' > $L/Corefile
! grep -q forward $L/Corefile
kubectl -n kube-system create cm coredns --from-file=Corefile=$L/Corefile --dry-run=client -o yaml | kubectl apply -f - 2>/dev/null
kubectl -n kube-system rollout restart deploy/coredns
kubectl -n kube-system rollout status deploy/coredns --timeout=180s
kubectl -n kube-system wait --for=condition=Ready pod --all --timeout=180s
done_ 4d-coredns

step "4e verify"
kubectl get nodes -o wide
kubectl get pods -A -o wide
kubectl run dnstest --image=docker.io/lab/mini-kindnet:v1 --image-pull-policy=Never --restart=Never --command -- sh -c '
  getent hosts kubernetes.default.svc.cluster.local && getent hosts kube-dns.kube-system.svc.cluster.local &&
  if timeout 10 getent hosts example.com; then echo EXTERNAL-RESOLVED; exit 1; else echo external-not-resolved; fi &&
  python3 -c "import ssl,urllib.request; print(\"apiserver via ClusterIP:\", urllib.request.urlopen(\"https://kubernetes.default.svc/healthz\", context=ssl._create_unverified_context(), timeout=5).read())"'
for i in $(seq 60); do ph=$(kubectl get pod dnstest -o jsonpath='{.status.phase}'); [ "$ph" = Succeeded -o "$ph" = Failed ] && break; sleep 2; done
kubectl logs dnstest
[ "$ph" = Succeeded ]
kubectl delete pod dnstest
done_ 4e-verify
echo "TOTAL $(( $(date +%s)-T0 ))s"; echo "TOTAL $(( $(date +%s)-T0 ))" >> $L/timings.txt
