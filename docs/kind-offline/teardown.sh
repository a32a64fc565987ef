#!/bin/bash
# Step 5: delete the cluster and stop dockerd (by PID); docker.io stays installed, images stay in /var/lib/docker
export PATH=/tmp/kindlab/bin:/usr/bin:/usr/sbin:$PATH KUBECONFIG=/tmp/kindlab/kubeconfig
S=$(date +%s)
kind delete cluster --name lab || true
docker ps -aq | xargs -r docker rm -f
if [ -f /tmp/kindlab/dockerd.pid ]; then
  P=$(cat /tmp/kindlab/dockerd.pid)
  kill "$P" 2>/dev/null
  for i in $(seq 30); do kill -0 "$P" 2>/dev/null || break; sleep 1; done
  rm -f /tmp/kindlab/dockerd.pid
fi
echo "teardown $(( $(date +%s)-S ))s"
