module conformance.local/tools/aws-servicebroker

go 1.22

require github.com/awslabs/aws-servicebroker v1.0.4

require (
	github.com/aws/aws-sdk-go v1.40.57 // indirect
	github.com/beorn7/perks v1.0.1 // indirect
	github.com/cespare/xxhash/v2 v2.1.2 // indirect
	github.com/go-errors/errors v1.4.1 // indirect
	github.com/golang/glog v1.0.0 // indirect
	github.com/golang/protobuf v1.5.2 // indirect
	github.com/jmespath/go-jmespath v0.4.0 // indirect
	github.com/koding/cache v0.0.0-20161222233015-e8a81b0b3f20 // indirect
	github.com/matttproud/golang_protobuf_extensions v1.0.1 // indirect
	github.com/pmorie/go-open-service-broker-client v0.0.0-20180928143052-79b374a2302f // indirect
	github.com/pmorie/osb-broker-lib v0.0.0-20180516212803-87d71cfbf342 // indirect
	github.com/prometheus/client_golang v1.11.0 // indirect
	github.com/prometheus/client_model v0.2.0 // indirect
	github.com/prometheus/common v0.31.1 // indirect
	github.com/prometheus/procfs v0.7.3 // indirect
	github.com/satori/go.uuid v1.2.0 // indirect
	golang.org/x/sys v0.0.0-20211004093028-2c5d950f24ef // indirect
	google.golang.org/protobuf v1.27.1 // indirect
	gopkg.in/mgo.v2 v2.0.0-20190816093944-a6b53ec6cb22 // indirect
	gopkg.in/yaml.v2 v2.4.0 // indirect
)
