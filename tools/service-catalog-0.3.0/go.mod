module conformance.local/tools/service-catalog-0.3.0

go 1.13

require github.com/kubernetes-sigs/service-catalog v0.3.0

// Copied from service-catalog v0.3.0's go.mod: a consuming module must repeat them.
replace (
	github.com/googleapis/gnostic => github.com/googleapis/gnostic v0.3.1
	go.etcd.io/bbolt => go.etcd.io/bbolt v1.3.3
	go.etcd.io/etcd => go.etcd.io/etcd v0.0.0-20191023171146-3cf2f69b5738
	k8s.io/kube-openapi => k8s.io/kube-openapi v0.0.0-20200410145947-61e04a5be9a6
	sigs.k8s.io/structured-merge-diff/v3 => sigs.k8s.io/structured-merge-diff/v3 v3.0.0
)

// Go >= 1.18 breaks reflect2 v1.0.1 (unsafe map iteration); etcd 3.4's clientv3 needs grpc 1.26.
replace (
	github.com/json-iterator/go => github.com/json-iterator/go v1.1.12
	github.com/modern-go/reflect2 => github.com/modern-go/reflect2 v1.0.2
	google.golang.org/grpc => google.golang.org/grpc v1.26.0
)
