module conformance.local/tools/helm

go 1.15

require helm.sh/helm/v3 v3.5.4

// Copied from helm v3.5.4's go.mod: a consuming module must repeat them.
replace (
	github.com/docker/distribution => github.com/docker/distribution v0.0.0-20191216044856-a8371794149d
	github.com/docker/docker => github.com/moby/moby v17.12.0-ce-rc1.0.20200618181300-9dc6525e6118+incompatible
)
