{{/* Names and labels shared by every template. */}}
{{- define "lepton.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "lepton.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "lepton.schedulerFullname" -}}
{{- printf "%s-scheduler" (include "lepton.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "lepton.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "lepton.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "lepton.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lepton.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: extender
{{- end -}}

{{- define "lepton.schedulerSelectorLabels" -}}
app.kubernetes.io/name: {{ include "lepton.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: scheduler
{{- end -}}

{{- define "lepton.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "lepton.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "lepton.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag -}}
{{- if .Values.image.cuda -}}{{- $tag = printf "%s-cuda" $tag -}}{{- end -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}

{{- define "lepton.extenderScheme" -}}
{{- if .Values.tls.enabled -}}https{{- else -}}http{{- end -}}
{{- end -}}

{{/* A Go duration (30m, 2h, 90s) in seconds, for alert thresholds. */}}
{{- define "lepton.durationSeconds" -}}
{{- $d := . | toString -}}
{{- if hasSuffix "h" $d -}}{{- mul (trimSuffix "h" $d | int) 3600 -}}
{{- else if hasSuffix "m" $d -}}{{- mul (trimSuffix "m" $d | int) 60 -}}
{{- else if hasSuffix "s" $d -}}{{- trimSuffix "s" $d | int -}}
{{- else -}}{{- fail (printf "metrics.prometheusRule.gangPendingFor: %q is not a duration like 30m, 2h or 90s" $d) -}}
{{- end -}}
{{- end -}}

{{/*
The chart's kube-scheduler image. The tag defaults to the cluster's own version, so the second
scheduler is never newer than the API server (Kubernetes' version skew policy): the
major.minor.patch of .Capabilities.KubeVersion, with a vendor suffix dropped (v1.29.3-eks-abc123
and v1.29.3+k3s1 give v1.29.3). scheduler.image.tag overrides it.
*/}}
{{- define "lepton.schedulerImageTag" -}}
{{- if .Values.scheduler.image.tag -}}
{{- .Values.scheduler.image.tag -}}
{{- else -}}
{{- $v := semver .Capabilities.KubeVersion.Version -}}
{{- printf "v%d.%d.%d" $v.Major $v.Minor $v.Patch -}}
{{- end -}}
{{- end -}}

{{- define "lepton.schedulerImage" -}}
{{- printf "%s:%s" .Values.scheduler.image.repository (include "lepton.schedulerImageTag" .) -}}
{{- end -}}
