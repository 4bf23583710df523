package render

import (
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// UpgradeScope is the scope of RenderUpgrade, for the external tests.
func UpgradeScope(ch *chart.Chart) map[*common.File]bool { return newGraph(ch).upgradeScope() }
