namespace Lepton.Testing.KubeApiServer.Selectors;

/// <summary>One <c>field=value</c> or <c>field!=value</c> term of a field selector.</summary>
internal sealed record FieldRequirement(string Field, bool Equal, string Value);
