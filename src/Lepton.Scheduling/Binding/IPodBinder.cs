namespace Lepton.Scheduling.Binding;

/// <summary>
/// Makes a placement real after <c>/bind</c> has assumed it in the cluster state: the operator
/// posts a core/v1 Binding (<c>POST /api/v1/namespaces/{ns}/pods/{name}/binding</c>) and records
/// the cards; without an API server (<c>--cluster-state</c>) nothing is posted.
/// </summary>
/// <example>
/// <code>
/// public sealed class ApiServerPodBinder(IKubernetes client) : IPodBinder
/// {
///     public async ValueTask BindAsync(PodBindingRequest binding, CancellationToken cancellationToken)
///     {
///         var body = new V1Binding { Metadata = new() { Name = binding.Name, NamespaceProperty = binding.Namespace, Uid = binding.Uid },
///                                    Target = new() { Kind = "Node", Name = binding.NodeName } };
///         await client.CoreV1.CreateNamespacedPodBindingAsync(body, binding.Name, binding.Namespace, cancellationToken: cancellationToken);
///     }
/// }
/// </code>
/// </example>
public interface IPodBinder
{
    /// <summary>
    /// Binds the pod; throws when the binding was refused (the assumption is then undone), or
    /// <see cref="BindingOutcomeUnknownException"/> (or <see cref="OperationCanceledException"/> at the
    /// deadline) when it cannot tell whether the binding landed (the assumption is then kept until
    /// the informer shows the pod's fate).
    /// </summary>
    /// <param name="binding">What to bind where, with the cards Lepton chose.</param>
    /// <param name="cancellationToken">Cancelled when the request's deadline passes.</param>
    /// <returns>A task that completes when the binding is done.</returns>
    ValueTask BindAsync(PodBindingRequest binding, CancellationToken cancellationToken);
}
