package main

import chartutil "helm.sh/helm/v4/pkg/chart/v2/util"

func createChart(name, dir string) (string, error) { return chartutil.Create(name, dir) }
