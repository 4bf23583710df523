// Package synth writes synthetic Helm charts of a chosen size, so benchmarks
// can show how hookgen's cost grows with the number of templates.
//
// A chart of n templates looks like a `helm create` chart grown wide: the same
// helpers (fullname, labels, selectorLabels, serviceAccountName), the same
// top-level values (image, serviceAccount, nodeSelector, ...), and n component
// templates, each reading its own block under .Values.components. Every tenth
// template is a hook Job (weights and events vary), so hook analysis grows
// with the chart as well as rendering does.
package synth

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Name is the chart name of every synthetic chart.
const Name = "synth"

// Write creates dir/synth-<n> holding a chart with n component templates
// (plus _helpers.tpl) and a values.yaml with a block for each, and returns
// the chart directory. An existing directory of that name is replaced.
func Write(dir string, n int) (string, error) {
	if n < 1 {
		return "", fmt.Errorf("synthetic chart needs at least one template, got %d", n)
	}
	root := filepath.Join(dir, fmt.Sprintf("%s-%d", Name, n))
	if err := os.RemoveAll(root); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Join(root, "templates"), 0o755); err != nil {
		return "", err
	}
	files := map[string]string{
		"Chart.yaml":             chartYAML,
		".helmignore":            ".git/\n*.swp\n",
		"templates/_helpers.tpl": helpers,
		"values.yaml":            values(n),
	}
	for i := range n {
		files[fmt.Sprintf("templates/c%04d.yaml", i)] = component(i)
	}
	for p, s := range files {
		if err := os.WriteFile(filepath.Join(root, p), []byte(s), 0o644); err != nil {
			return "", err
		}
	}
	return root, nil
}

// Hooks returns how many of a chart's n templates are hook Jobs.
func Hooks(n int) int { return n / 10 }

const chartYAML = `apiVersion: v2
name: synth
description: A synthetic chart for hookgen's benchmarks
type: application
version: 0.1.0
appVersion: "1.16.0"
`

const helpers = `{{- define "synth.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "synth.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "synth.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "synth.labels" -}}
helm.sh/chart: {{ include "synth.chart" . }}
{{ include "synth.selectorLabels" . }}
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "synth.selectorLabels" -}}
app.kubernetes.io/name: {{ include "synth.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "synth.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "synth.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}
`

func values(n int) string {
	var b strings.Builder
	b.WriteString(`# Synthetic chart for benchmarks.
replicaCount: 1

image:
  repository: nginx
  pullPolicy: IfNotPresent
  # Overrides the image tag whose default is the chart appVersion.
  tag: ""

imagePullSecrets: []
nameOverride: ""
fullnameOverride: ""

serviceAccount:
  create: true
  annotations: {}
  name: ""

podAnnotations: {}
resources: {}
nodeSelector: {}
tolerations: []
affinity: {}

# One block per component template.
components:
`)
	for i := range n {
		fmt.Fprintf(&b, `  # Component %d.
  c%04d:
    enabled: true
    port: %d
    message: "component %d"
    env:
      LOG_LEVEL: info
      SHARD: "%d"
`, i, i, 8000+i%1000, i, i%16)
	}
	return b.String()
}

// component returns template i: every tenth a hook Job, the others a
// Deployment, ConfigMap or Service, each reading .Values.components.<key>.
func component(i int) string {
	key := fmt.Sprintf("c%04d", i)
	if i%10 == 9 {
		events := []string{"pre-install,pre-upgrade", "post-install,post-upgrade", "pre-upgrade", "post-install", "pre-delete"}[(i/10)%5]
		return object(key, "batch/v1", "Job", fmt.Sprintf(`  annotations:
    "helm.sh/hook": %s
    "helm.sh/hook-weight": "%d"
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  backoffLimit: 1
  activeDeadlineSeconds: 240
  template:
    metadata:
      labels:
        {{- include "synth.selectorLabels" . | nindent 8 }}
    spec:
      restartPolicy: Never
      serviceAccountName: {{ include "synth.serviceAccountName" . }}
      containers:
        - name: task
`+containerImage+`          command: ["sh", "-c", {{ $c.message | quote }}]
`+containerEnv, events, i%7-3))
	}
	switch i % 3 {
	case 0:
		return object(key, "apps/v1", "Deployment", fmt.Sprintf(`spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      {{- include "synth.selectorLabels" . | nindent 6 }}
      component: %[1]s
  template:
    metadata:
      labels:
        {{- include "synth.selectorLabels" . | nindent 8 }}
        component: %[1]s
    spec:
      serviceAccountName: {{ include "synth.serviceAccountName" . }}
      containers:
        - name: %[1]s
`+containerImage+`          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $c.port }}
`+containerEnv, key))
	case 1:
		return object(key, "v1", "ConfigMap", `data:
  message: {{ $c.message | quote }}
  {{- range $k, $v := $c.env }}
  {{ $k }}: {{ $v | quote }}
  {{- end }}
`)
	default:
		return object(key, "v1", "Service", fmt.Sprintf(`spec:
  type: ClusterIP
  ports:
    - port: {{ $c.port }}
      targetPort: http
      name: http
  selector:
    {{- include "synth.selectorLabels" . | nindent 4 }}
    component: %s
`, key))
	}
}

// object wraps the rest of a component's manifest (rest starts after its
// labels) in what every component shares: its values block, the enabled
// switch, the name and the labels.
func object(key, apiVersion, kind, rest string) string {
	return fmt.Sprintf(`{{- $c := .Values.components.%[1]s }}
{{- if $c.enabled }}
apiVersion: %[2]s
kind: %[3]s
metadata:
  name: {{ include "synth.fullname" . }}-%[1]s
  labels:
    {{- include "synth.labels" . | nindent 4 }}
`, key, apiVersion, kind) + rest + "{{- end }}\n"
}

// The container lines the Job and the Deployment share.
const (
	containerImage = `          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
`
	containerEnv = `          env:
            {{- range $k, $v := $c.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
`
)

// WriteWithCRDs is Write plus a crds/ directory of about crdBytes bytes of
// CustomResourceDefinitions shaped like real operators' (one file per CRD,
// deep openAPIV3Schema with descriptions, as controller-gen writes them), in
// dir/synth-<n>-crds: the chart where reading and parsing crds/ more than
// once shows.
func WriteWithCRDs(dir string, n, crdBytes int) (string, error) {
	root, err := Write(dir, n)
	if err != nil {
		return "", err
	}
	dst := root + "-crds"
	if err := os.RemoveAll(dst); err != nil {
		return "", err
	}
	if err := os.Rename(root, dst); err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Join(dst, "crds"), 0o755); err != nil {
		return "", err
	}
	for i, total := 0, 0; total < crdBytes; i++ {
		s := crd(i)
		total += len(s)
		if err := os.WriteFile(filepath.Join(dst, "crds", fmt.Sprintf("widget%03d.yaml", i)), []byte(s), 0o644); err != nil {
			return "", err
		}
	}
	return dst, nil
}

// crd returns a CustomResourceDefinition of about 50 kB.
func crd(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  annotations:
    controller-gen.kubebuilder.io/version: v0.16.0
  name: widget%03[1]ds.synth.example.com
spec:
  group: synth.example.com
  names:
    kind: Widget%03[1]d
    listKind: Widget%03[1]dList
    plural: widget%03[1]ds
    singular: widget%03[1]d
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      subresources:
        status: {}
      schema:
        openAPIV3Schema:
          description: Widget%03[1]d is a synthetic resource for hookgen's benchmarks.
          type: object
          properties:
            apiVersion:
              description: APIVersion defines the versioned schema of this representation of an object.
              type: string
            kind:
              description: Kind is a string value representing the REST resource this object represents.
              type: string
            metadata:
              type: object
            spec:
              description: Spec is the desired state of the widget.
              type: object
              properties:
`, i)
	for f := range 40 {
		fmt.Fprintf(&b, `                field%02[1]d:
                  description: Field%02[1]d configures one part of the widget; when it is omitted the
                    operator chooses a default that suits most clusters.
                  type: object
                  properties:
                    enabled:
                      description: Enabled turns field%02[1]d on.
                      type: boolean
                    replicas:
                      description: Replicas is how many copies of field%02[1]d run.
                      format: int32
                      minimum: 0
                      type: integer
                    selector:
                      description: Selector chooses the pods field%02[1]d applies to.
                      type: object
                      properties:
                        matchExpressions:
                          description: matchExpressions is a list of label selector requirements.
                          type: array
                          items:
                            type: object
                            required:
                              - key
                              - operator
                            properties:
                              key:
                                description: key is the label key that the selector applies to.
                                type: string
                              operator:
                                description: operator represents a key's relationship to a set of values.
                                type: string
                              values:
                                description: values is an array of string values.
                                type: array
                                items:
                                  type: string
                        matchLabels:
                          additionalProperties:
                            type: string
                          description: matchLabels is a map of key-value pairs.
                          type: object
`, f)
	}
	return b.String()
}
