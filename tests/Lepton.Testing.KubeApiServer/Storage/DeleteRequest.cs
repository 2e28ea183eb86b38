namespace Lepton.Testing.KubeApiServer.Storage;

/// <summary>The parts of <c>DeleteOptions</c> the store honours.</summary>
internal sealed record DeleteRequest(
    string? PropagationPolicy = null,
    string? PreconditionUid = null,
    string? PreconditionResourceVersion = null,
    bool DryRun = false)
{
    public const string Orphan = "Orphan";
    public const string Background = "Background";
    public const string Foreground = "Foreground";

    public static DeleteRequest Default { get; } = new();
}
