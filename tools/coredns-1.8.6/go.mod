module conformance.local/tools/coredns-1.8.6

go 1.16

require github.com/coredns/coredns v1.8.6
