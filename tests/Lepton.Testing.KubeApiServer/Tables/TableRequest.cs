namespace Lepton.Testing.KubeApiServer.Tables;

/// <summary>A request for Table output: the Table apiVersion asked for and what each row's <c>object</c> holds.</summary>
/// <param name="ApiVersion"><c>meta.k8s.io/v1</c> or <c>meta.k8s.io/v1beta1</c>.</param>
/// <param name="IncludeObject"><c>None</c>, <c>Metadata</c> (default) or <c>Object</c>.</param>
internal sealed record TableRequest(string ApiVersion, string IncludeObject);
