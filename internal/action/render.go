package action

import (
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/render"
)

// checkRender validates the render inputs the writing actions share: the
// Kubernetes version, the values files and --set.
func checkRender(r render.Options) error {
	if _, err := render.Capabilities(r.KubeVersion); err != nil {
		return cmdutil.Usage("%v", err)
	}
	if _, err := render.Values(r.ValuesFiles, r.Set); err != nil {
		return cmdutil.Usage("%v", err)
	}
	return nil
}
