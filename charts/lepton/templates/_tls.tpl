{{/* Mutual TLS between kube-scheduler and Lepton (DECISIONS.md 21): the Secrets each side mounts. */}}

{{/* The Secret Lepton mounts: its server certificate (tls.crt, tls.key) and the client CA (ca.crt). */}}
{{- define "lepton.tls.serverSecret" -}}
{{- if eq .Values.tls.mode "existing" -}}
{{- required "tls.existing.serverSecretName is required when tls.mode is existing" .Values.tls.existing.serverSecretName -}}
{{- else -}}
{{- printf "%s-server-tls" (include "lepton.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The Secret kube-scheduler mounts: its client certificate (tls.crt, tls.key) and the server CA (ca.crt). */}}
{{- define "lepton.tls.clientSecret" -}}
{{- if eq .Values.tls.mode "existing" -}}
{{- required "tls.existing.clientSecretName is required when tls.mode is existing" .Values.tls.existing.clientSecretName -}}
{{- else -}}
{{- printf "%s-scheduler-tls" (include "lepton.fullname" .) -}}
{{- end -}}
{{- end -}}

{{/* The CA's own Secret (generated and certManager modes); mounted by no pod. */}}
{{- define "lepton.tls.caSecret" -}}
{{- printf "%s-ca" (include "lepton.fullname" .) -}}
{{- end -}}

{{/* The name kube-scheduler verifies in Lepton's certificate: the host of the extender's urlPrefix. */}}
{{- define "lepton.tls.serverName" -}}
{{- default (printf "%s.%s.svc" (include "lepton.fullname" .) .Release.Namespace) .Values.tls.serverName -}}
{{- end -}}

{{/* Where each pod mounts its TLS Secret. */}}
{{- define "lepton.tls.mountPath" -}}/etc/lepton/tls{{- end -}}
