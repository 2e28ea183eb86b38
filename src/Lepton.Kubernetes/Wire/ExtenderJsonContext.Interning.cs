using System.Text.Json;
using Lepton.Scheduling.State;

namespace Lepton.Kubernetes.Wire;

/// <content>A context that interns node names.</content>
public sealed partial class ExtenderJsonContext
{
    /// <summary>
    /// Creates a context with the same settings as <see cref="Default"/> whose <c>NodeNames</c>
    /// reader reuses one string per node name across requests (the extender's hot path) and,
    /// given the cluster state, resolves each name to its node table slot while reading
    /// (<see cref="ResolvedNodeNames"/>).
    /// </summary>
    /// <param name="state">The cluster state whose node table names are resolved against, or null.</param>
    /// <param name="maxNodes">
    /// The most <c>NodeNames</c> or <c>Nodes.items</c> one request may carry; more throw
    /// <see cref="RequestLimitExceededException"/> while the body is read.
    /// </param>
    /// <returns>A new context; keep one per process.</returns>
    public static ExtenderJsonContext CreateInterning(ClusterState? state = null, int maxNodes = int.MaxValue)
    {
        var options = new JsonSerializerOptions(Default.Options) { TypeInfoResolver = null };
        options.Converters.Add(new NodeNameListConverter(new NodeNameInterner(), state is null ? null : () => state.Table, maxNodes));
        options.Converters.Add(new RawNodeListConverter(maxNodes));
        return new ExtenderJsonContext(options);
    }
}
