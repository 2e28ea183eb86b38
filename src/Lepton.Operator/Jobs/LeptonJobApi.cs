using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Operator.Entities;
using Lepton.Operator.Resilience;

namespace Lepton.Operator.Jobs;

/// <summary>
/// The writes the job reconciler and gang admission make, each through the <see cref="KubeApiPipeline"/>
/// (transient failures retried; a 409 surfaces as <see cref="ConflictException"/>, which the controller
/// turns into a requeue). Patches are JSON merge patches carrying <c>metadata.resourceVersion</c> as a
/// precondition where the change is computed from a cached object, so a stale cache can never overwrite
/// newer state; they go through <c>/status</c> for status.
/// </summary>
/// <param name="client">The API client.</param>
/// <param name="pipeline">Retries transient failures.</param>
public sealed class LeptonJobApi(IKubernetes client, KubeApiPipeline pipeline)
{
    /// <summary>Creates a pod; returns false when a pod of that name exists already (idempotent retries).</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when created.</returns>
    public async Task<bool> CreatePodAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        try
        {
            await pipeline.ExecuteAsync(
                ct => new ValueTask<V1Pod>(client.CoreV1.CreateNamespacedPodAsync(pod, pod.Metadata.NamespaceProperty, cancellationToken: ct)),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConflictException)
        {
            return false;
        }
    }

    /// <summary>Creates a Service; an existing one of that name is fine.</summary>
    /// <param name="service">The Service.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the Service exists.</returns>
    public async Task EnsureServiceAsync(V1Service service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        try
        {
            await pipeline.ExecuteAsync(
                ct => new ValueTask<V1Service>(client.CoreV1.CreateNamespacedServiceAsync(service, service.Metadata.NamespaceProperty, cancellationToken: ct)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ConflictException)
        {
            // AlreadyExists.
        }
    }

    /// <summary>Deletes a Service; a missing one is fine.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the delete was accepted.</returns>
    public async Task DeleteServiceAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            await pipeline.ExecuteAsync(
                async ct =>
                {
                    await client.CoreV1.DeleteNamespacedServiceAsync(name, @namespace, cancellationToken: ct).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (KubeApiErrors.IsNotFound(e))
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Deletes a pod if it is still the one with <paramref name="uid"/> (a UID precondition, so a pod recreated
    /// under the same name is never hit); returns false when it was gone or replaced already.
    /// </summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="name">The name.</param>
    /// <param name="uid">The pod's UID.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when this call deleted (or started deleting) the pod.</returns>
    public async Task<bool> DeletePodAsync(string @namespace, string name, string uid, CancellationToken cancellationToken)
    {
        var options = new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid } };
        try
        {
            await pipeline.ExecuteAsync(
                ct => new ValueTask<V1Pod>(client.CoreV1.DeleteNamespacedPodAsync(name, @namespace, options, cancellationToken: ct)),
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (KubeApiErrors.IsNotFound(e) || e is ConflictException)
        {
            return false;
        }
    }

    /// <summary>Applies a JSON merge patch to a pod.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="name">The name.</param>
    /// <param name="patch">The merge patch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The pod after the patch.</returns>
    public async Task<V1Pod> PatchPodAsync(string @namespace, string name, JsonObject patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
        return await pipeline.ExecuteAsync(
            ct => new ValueTask<V1Pod>(client.CoreV1.PatchNamespacedPodAsync(body, name, @namespace, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies a JSON merge patch to a LeptonJob (metadata and spec; status is ignored there).</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="name">The name.</param>
    /// <param name="patch">The merge patch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job after the patch.</returns>
    public async Task<V1Alpha1LeptonJob> PatchJobAsync(string @namespace, string name, JsonObject patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
        return await pipeline.ExecuteAsync(
            ct => new ValueTask<V1Alpha1LeptonJob>(client.CustomObjects.PatchNamespacedCustomObjectAsync<V1Alpha1LeptonJob>(
                body, V1Alpha1LeptonJob.KubeGroup, V1Alpha1LeptonJob.KubeApiVersion, @namespace, V1Alpha1LeptonJob.KubePluralName, name, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies a JSON merge patch to a LeptonJob's <c>/status</c> subresource.</summary>
    /// <param name="namespace">The namespace.</param>
    /// <param name="name">The name.</param>
    /// <param name="patch">The merge patch (<c>{"metadata":{"resourceVersion":...},"status":{...}}</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The job after the patch.</returns>
    public async Task<V1Alpha1LeptonJob> PatchJobStatusAsync(string @namespace, string name, JsonObject patch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
        return await pipeline.ExecuteAsync(
            ct => new ValueTask<V1Alpha1LeptonJob>(client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<V1Alpha1LeptonJob>(
                body, V1Alpha1LeptonJob.KubeGroup, V1Alpha1LeptonJob.KubeApiVersion, @namespace, V1Alpha1LeptonJob.KubePluralName, name, cancellationToken: ct)),
            cancellationToken).ConfigureAwait(false);
    }
}
