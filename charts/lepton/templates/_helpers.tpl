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
