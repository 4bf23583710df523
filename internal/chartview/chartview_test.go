package chartview

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

func TestCheckChartDir(t *testing.T) {
	tmp := t.TempDir()
	write := func(p, s string) string {
		f := filepath.Join(tmp, p)
		os.MkdirAll(filepath.Dir(f), 0o755)
		os.WriteFile(f, []byte(s), 0o644)
		return f
	}
	cases := map[string]string{
		filepath.Join(tmp, "missing"):                       "does not exist",
		write("file.txt", "x"):                              "is a file",
		write("c.tgz", "x"):                                 "packaged chart",
		filepath.Dir(write("empty/x", "")):                  "no Chart.yaml",
		filepath.Dir(write("broken/Chart.yaml", "name: [")): "does not parse",
		filepath.Dir(write("v3/Chart.yaml", "apiVersion: v3\nname: x\nversion: 1.0.0\n")): "apiVersion \"v3\"",
	}
	// Helm 3 and 4 install apiVersion v1 charts (and read a missing apiVersion
	// as v1), and charts without templates/.
	for _, ok := range []string{
		filepath.Dir(write("v1/Chart.yaml", "apiVersion: v1\nname: x\nversion: 1.0.0\n")),
		filepath.Dir(write("noapi/Chart.yaml", "name: x\nversion: 1.0.0\n")),
		filepath.Dir(write("notpl/Chart.yaml", "apiVersion: v2\nname: x\nversion: 1.0.0\n")),
	} {
		if err := CheckChartDir(ok); err != nil {
			t.Errorf("CheckChartDir(%s) = %v, want nil", filepath.Base(ok), err)
		}
	}
	for dir, want := range cases {
		err := CheckChartDir(dir)
		var ce *ChartError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckChartDir(%s) = %v, want a ChartError containing %q", filepath.Base(dir), err, want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("error is not one line: %q", err)
		}
	}
}

// RenderMarked renders once per set of render inputs: a second call gives
// the same files without a render, a chart with other --set values its own.
func TestRenderMarkedOnce(t *testing.T) {
	c, err := Load(testcharts.HelmCreate(t, "shop"), "hooks", render.Options{KubeVersion: render.DefaultKubeVersion})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.RenderMarked()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.RenderMarked()
	if reflect.ValueOf(a).Pointer() != reflect.ValueOf(b).Pointer() {
		t.Error("the second RenderMarked rendered the chart again")
	}
	other, err := c.WithSet([]string{"service.port=81"}).RenderMarked()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(other["shop/templates/service.yaml"], "port: 81") || strings.Contains(a["shop/templates/service.yaml"], "port: 81") {
		t.Errorf("--set service.port=81 is not in its own render:\n%s", other["shop/templates/service.yaml"])
	}
}
