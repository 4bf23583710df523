{{- /*
Helpers shared by the hook Jobs in templates/hooks/, written by hookgen from this
chart's own conventions (its "shop.fullname" helper, its image values).
hookgen rewrites this file when it adds a hook; remove deletes it with the last hook.
*/}}

{{- /* hookgen.name: "<fullname>-<hook>", the hook name kept whole within 63 characters. Call with (list $ "migration"). */}}
{{- define "hookgen.name" -}}
{{- $root := index . 0 -}}
{{- $hook := index . 1 -}}
{{- printf "%s-%s" ((include "shop.fullname" $root) | trunc (int (sub 62 (len $hook))) | trimSuffix "-") $hook }}
{{- end }}

{{- /* hookgen.labels: the labels of every hook object. Call with $. The chart's
labels less the keys each hook object sets itself (component and hookgen.io/*):
a label key appears once, and the hook's own component wins. */}}
{{- define "hookgen.labels" -}}
{{- omit (include "shop.labels" . | fromYaml) "app.kubernetes.io/component" "hookgen.io/hook" "hookgen.io/task" | toYaml }}
{{- end }}

{{- /* hookgen.image: the hook's image. An empty image.repository means the chart's
own image (a hook image.tag replaces the chart's tag), so the hook runs the version
being installed. Call with (list $ $hookValues). */}}
{{- define "hookgen.image" -}}
{{- $root := index . 0 -}}
{{- $img := (index . 1).image | default dict -}}
{{- if $img.repository -}}
{{- $img.repository | toString }}{{ with $img.tag }}:{{ . | toString }}{{ end -}}
{{- else -}}
{{- $chartImg := $root.Values.image -}}
{{- $repo := $chartImg.repository | toString -}}
{{- if $img.tag -}}
{{- printf "%s:%s" $repo ($img.tag | toString) -}}
{{- else if $chartImg.digest -}}
{{- printf "%s@%s" $repo ($chartImg.digest | toString) -}}
{{- else -}}
{{- printf "%s:%s" $repo ($chartImg.tag | default $root.Chart.AppVersion | toString) -}}
{{- end -}}
{{- end -}}
{{- end }}

{{- /* hookgen.pod: the pod-level settings of a hook Job, from its values,
falling back to the chart's own where the hook sets none. Call with
(dict "root" $ "hook" $hookValues "serviceAccount" "<default or empty>"). */}}
{{- define "hookgen.pod" -}}
{{- $root := .root -}}
{{- $h := .hook -}}
restartPolicy: Never
{{- with ($h.serviceAccountName | default .serviceAccount) }}
serviceAccountName: {{ . | quote }}
{{- end }}
automountServiceAccountToken: {{ ternary $h.automountServiceAccountToken false (hasKey $h "automountServiceAccountToken") }}
{{- with ($h.imagePullSecrets | default $root.Values.imagePullSecrets) }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $h.podSecurityContext }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with ($h.nodeSelector | default $root.Values.nodeSelector) }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with ($h.tolerations | default $root.Values.tolerations) }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with ($h.affinity | default $root.Values.affinity) }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{- /* hookgen.container: the container fields every hook shares. Call with
(list $ $hookValues "name" ["values.path.command"]); with the fourth element, a hook
on the chart's own image and no command or args fails at once saying to set that
value. Add env and volumeMounts after it. */}}
{{- define "hookgen.container" -}}
{{- $root := index . 0 -}}
{{- $h := index . 1 -}}
{{- $img := $h.image | default dict -}}
name: {{ index . 2 | quote }}
image: {{ include "hookgen.image" (list $root $h) | quote }}
imagePullPolicy: {{ $img.pullPolicy | default $root.Values.image.pullPolicy | default "IfNotPresent" | quote }}
{{- if $h.command }}
command:
  {{- toYaml $h.command | nindent 2 }}
{{- else if and (not $h.args) (not $img.repository) (gt (len .) 3) }}
{{- /* The chart's own image with no command would start the application
itself, which never finishes: fail at once, saying what to set (Helm
prints it, by the hook-failed log policy). */}}
command:
  - sh
  - -c
  - {{ printf "echo 'hookgen: %s is empty: set it to the command this hook runs' >&2; exit 1" (index . 3) | quote }}
{{- end }}
{{- with $h.args }}
args:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $h.envFrom }}
envFrom:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $h.resources }}
resources:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $h.securityContext }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}
