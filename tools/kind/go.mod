module conformance.local/tools/kind

go 1.16

require sigs.k8s.io/kind v0.11.1
