namespace Lepton.Scheduling.Binding;

/// <summary>
/// The binder of <c>--cluster-state</c> mode: there is no API server, so a bind only assumes the
/// placement in Lepton's cluster state (done before the binder is called) and posts nothing.
/// </summary>
public sealed class StateOnlyPodBinder : IPodBinder
{
    /// <inheritdoc />
    public ValueTask BindAsync(PodBindingRequest binding, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
