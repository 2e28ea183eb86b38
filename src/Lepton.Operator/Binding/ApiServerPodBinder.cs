using System.Globalization;
using k8s;
using k8s.Models;
using Lepton.Operator.Resilience;
using Lepton.Scheduling.Binding;
using Lepton.Scheduling.Resources;
using Microsoft.Extensions.Logging;

namespace Lepton.Operator.Binding;

/// <summary>
/// The extender's <see cref="IPodBinder"/> against a real API server: posts a core/v1 Binding
/// (<c>POST /api/v1/namespaces/{ns}/pods/{name}/binding</c>, as kube-scheduler's DefaultBinder does)
/// through the <see cref="KubeApiPipeline"/> (transient failures retried), with the pod's UID as a
/// precondition and the chosen GPU cards in the Binding's <c>lepton.ai/gpu-cards</c> annotation, which
/// the API server merges into the pod. A 409 means the pod is already bound (or deleting, or gated): when
/// the pod turns out bound to the very node asked for (a retried request whose first attempt landed),
/// that is success; otherwise <see cref="PodBindingException"/> says where it is bound, and the extender
/// answers the bind with that error (undoing its assumption). A call cut off by the request's
/// deadline, timed out, or still failing transiently after the retries may have bound the pod:
/// that is <see cref="BindingOutcomeUnknownException"/>, and the extender keeps its assumption until
/// the informer shows what happened.
/// </summary>
/// <param name="client">The API client.</param>
/// <param name="pipeline">Retries transient API failures.</param>
/// <param name="logger">The logger.</param>
public sealed partial class ApiServerPodBinder(IKubernetes client, KubeApiPipeline pipeline, ILogger<ApiServerPodBinder> logger) : IPodBinder
{
    /// <inheritdoc />
    public async ValueTask BindAsync(PodBindingRequest binding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var body = CreateBinding(binding);
        try
        {
            await pipeline.ExecuteAsync(
                async ct =>
                {
                    await client.CoreV1.CreateNamespacedPodBindingAsync(body, binding.Name, binding.Namespace, cancellationToken: ct).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
            LogBound(logger, binding.Namespace, binding.Name, binding.NodeName);
        }
        catch (ConflictException conflict)
        {
            V1Pod pod;
            try
            {
                pod = await pipeline.ExecuteAsync(
                    ct => new ValueTask<V1Pod>(client.CoreV1.ReadNamespacedPodAsync(binding.Name, binding.Namespace, cancellationToken: ct)),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (KubeApiErrors.IsNotFound(e))
            {
                throw new PodBindingException($"pod {binding.Namespace}/{binding.Name} no longer exists", e);
            }

            var boundTo = pod.Spec?.NodeName;
            if (string.Equals(pod.Metadata?.Uid, binding.Uid, StringComparison.Ordinal)
                && string.Equals(boundTo, binding.NodeName, StringComparison.Ordinal))
            {
                LogAlreadyBound(logger, binding.Namespace, binding.Name, binding.NodeName);
                return;
            }

            var why = !string.Equals(pod.Metadata?.Uid, binding.Uid, StringComparison.Ordinal)
                ? $"pod {binding.Namespace}/{binding.Name} was replaced (uid {pod.Metadata?.Uid}, not {binding.Uid})"
                : !string.IsNullOrEmpty(boundTo)
                    ? $"pod {binding.Namespace}/{binding.Name} is already bound to node {boundTo}"
                    : pod.Metadata?.DeletionTimestamp is not null
                        ? $"pod {binding.Namespace}/{binding.Name} is being deleted"
                        : $"pod {binding.Namespace}/{binding.Name} cannot be bound now: {conflict.InnerException?.Message ?? conflict.Message}";
            throw new PodBindingException(why, conflict);
        }
        catch (Exception e) when (e is OperationCanceledException || KubeApiErrors.IsTransient(e))
        {
            // Cut off at the deadline, timed out, or still failing after the retries: the binding may
            // have landed. The extender keeps its assumption until the informer shows the pod.
            LogOutcomeUnknown(logger, binding.Namespace, binding.Name, binding.NodeName, e.GetType().Name);
            throw new BindingOutcomeUnknownException(
                $"binding pod {binding.Namespace}/{binding.Name} to node {binding.NodeName}: no answer from the API server ({e.GetType().Name})",
                e);
        }
    }

    /// <summary>Builds the Binding object for a placement.</summary>
    /// <param name="binding">The placement.</param>
    /// <returns>The core/v1 Binding.</returns>
    internal static V1Binding CreateBinding(PodBindingRequest binding)
    {
        var metadata = new V1ObjectMeta { Name = binding.Name, NamespaceProperty = binding.Namespace, Uid = binding.Uid };
        if (!binding.Cards.IsDefaultOrEmpty)
        {
            metadata.Annotations = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ResourceNames.GpuCardsAnnotation] = string.Join(',', binding.Cards.Select(c => c.ToString(CultureInfo.InvariantCulture))),
            };
        }

        return new V1Binding
        {
            ApiVersion = "v1",
            Kind = "Binding",
            Metadata = metadata,
            Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = binding.NodeName },
        };
    }
}
