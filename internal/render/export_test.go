package render

import (
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// UpgradeScope is the scope of RenderUpgrade, for the external tests.
func UpgradeScope(ch *chart.Chart) map[*common.File]bool { return newGraph(ch).upgradeScope() }

// KeepCopies sets keepCopies for the duration of a test.
func KeepCopies(t interface{ Cleanup(func()) }, keep bool) {
	old := keepCopies
	keepCopies = keep
	t.Cleanup(func() { keepCopies = old })
}

// Copies is how many partials withoutCopies leaves out of ch.
func Copies(ch *chart.Chart) int {
	c := withoutCopies(ch)
	var count func(c *chart.Chart) int
	count = func(c *chart.Chart) int {
		n := len(c.Templates)
		for _, d := range c.Dependencies() {
			n += count(d)
		}
		return n
	}
	return count(ch) - count(c)
}
