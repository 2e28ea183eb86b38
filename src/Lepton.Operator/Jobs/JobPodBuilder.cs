using System.Globalization;
using k8s;
using k8s.Models;
using Lepton.Operator.Entities;
using Lepton.Scheduling.Resources;

namespace Lepton.Operator.Jobs;

/// <summary>
/// Builds the pods (and the headless Service) of a LeptonJob from its spec, as docs/CRD.md promises:
/// <list type="bullet">
/// <item>the template's metadata and spec, with <c>schedulerName</c>, <c>priorityClassName</c> and the
/// controller owner reference (blockOwnerDeletion) set;</item>
/// <item>labels <c>lepton.ai/job</c>, <c>lepton.ai/replica-index</c>, and for a gang <c>lepton.ai/gang</c> plus the
/// <c>lepton.ai/gang</c> scheduling gate;</item>
/// <item>the per-replica accelerators merged into the first container (requests and limits): whole GPUs as
/// <see cref="OperatorOptions.GpuResource"/> (or the GPU resource the template names), a fractional share as one
/// device of <see cref="OperatorOptions.SharedGpuResource"/> with <c>lepton.ai/gpu-milli</c>, models as
/// <c>lepton.ai/gpu-models</c>, FPGAs as their device-plugin resource;</item>
/// <item>for a Training job of several replicas: hostname and subdomain (the headless Service) and the
/// environment of torch.distributed (<c>WORLD_SIZE</c>, <c>RANK</c>, <c>MASTER_ADDR</c>, <c>MASTER_PORT</c>)
/// plus <c>LEPTON_REPLICA_INDEX</c>.</item>
/// </list>
/// </summary>
/// <param name="options">The operator options.</param>
public sealed class JobPodBuilder(OperatorOptions options)
{
    /// <summary>Whether a job's replicas form a gang (admitted all together, DECISIONS.md 9): Training jobs.</summary>
    /// <param name="job">The job.</param>
    /// <returns>True for a gang.</returns>
    public static bool IsGang(V1Alpha1LeptonJob job) => job?.Spec?.Type == LeptonJobTypes.Training;

    /// <summary>Whether the job gets a headless Service and the distributed-training environment: Training with more than one replica.</summary>
    /// <param name="job">The job.</param>
    /// <returns>True when replicas need to find each other.</returns>
    public static bool IsDistributed(V1Alpha1LeptonJob job) => IsGang(job) && job.Spec.Replicas > 1;

    /// <summary>The controller owner reference that points at the job.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The owner reference.</returns>
    public static V1OwnerReference OwnerReference(V1Alpha1LeptonJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new V1OwnerReference
        {
            ApiVersion = V1Alpha1LeptonJob.KubeGroupVersion,
            Kind = V1Alpha1LeptonJob.KubeKind,
            Name = job.Metadata.Name,
            Uid = job.Metadata.Uid,
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }

    /// <summary>Builds the pod of one replica attempt.</summary>
    /// <param name="job">The job (valid).</param>
    /// <param name="index">The replica index.</param>
    /// <param name="attempt">The attempt, 0 for the first pod of the replica.</param>
    /// <returns>The pod to create.</returns>
    public V1Pod BuildPod(V1Alpha1LeptonJob job, int index, int attempt)
    {
        ArgumentNullException.ThrowIfNull(job);
        var spec = job.Spec;
        var template = Clone(spec.Template ?? new V1PodTemplateSpec());
        var jobName = job.Metadata.Name;
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [LeptonJobKeys.JobLabel] = JobNames.LabelValue(jobName),
            [LeptonJobKeys.ReplicaIndexLabel] = index.ToString(CultureInfo.InvariantCulture),
        };
        var annotations = new Dictionary<string, string>(template.Metadata?.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [LeptonJobKeys.AttemptAnnotation] = attempt.ToString(CultureInfo.InvariantCulture),
        };

        var podSpec = template.Spec ?? new V1PodSpec();
        podSpec.Containers ??= [];
        podSpec.SchedulerName = options.SchedulerName;
        podSpec.RestartPolicy ??= "Never";
        if (!string.IsNullOrEmpty(spec.PriorityClassName))
        {
            podSpec.PriorityClassName = spec.PriorityClassName;
            podSpec.Priority = null;
        }

        if (IsGang(job))
        {
            labels[LeptonJobKeys.GangLabel] = JobNames.LabelValue(jobName);
            var gates = podSpec.SchedulingGates?.Where(g => g.Name != LeptonJobKeys.GangSchedulingGate).ToList() ?? [];
            gates.Add(new V1PodSchedulingGate { Name = LeptonJobKeys.GangSchedulingGate });
            podSpec.SchedulingGates = gates;
        }

        if (spec.Accelerators is { } accelerators && podSpec.Containers.Count > 0)
        {
            ApplyAccelerators(accelerators, podSpec.Containers[0], annotations);
        }

        TolerateExtendedResources(podSpec);

        var env = new List<V1EnvVar> { new V1EnvVar { Name = LeptonJobKeys.ReplicaIndexEnv, Value = index.ToString(CultureInfo.InvariantCulture) } };
        if (IsDistributed(job))
        {
            var service = JobNames.Service(jobName);
            podSpec.Hostname = JobNames.Hostname(jobName, index);
            podSpec.Subdomain = service;
            env.Add(new V1EnvVar { Name = "WORLD_SIZE", Value = spec.Replicas.ToString(CultureInfo.InvariantCulture) });
            env.Add(new V1EnvVar { Name = "RANK", Value = index.ToString(CultureInfo.InvariantCulture) });
            env.Add(new V1EnvVar { Name = "MASTER_ADDR", Value = MasterAddress(job) });
            env.Add(new V1EnvVar { Name = "MASTER_PORT", Value = options.MasterPort.ToString(CultureInfo.InvariantCulture) });
        }

        foreach (var container in podSpec.Containers)
        {
            var list = container.Env?.Where(e => env.All(x => x.Name != e.Name)).ToList() ?? [];
            list.AddRange(env);
            container.Env = list;
        }

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = V1Pod.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = JobNames.Pod(jobName, index, attempt),
                NamespaceProperty = job.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = annotations,
                OwnerReferences = [OwnerReference(job)],
            },
            Spec = podSpec,
        };
    }

    /// <summary>The stable DNS name of replica 0 through the headless Service (<c>job-0.job.ns.svc.cluster.local</c>).</summary>
    /// <param name="job">The job.</param>
    /// <returns>The DNS name.</returns>
    public string MasterAddress(V1Alpha1LeptonJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var name = job.Metadata.Name;
        var ns = string.IsNullOrEmpty(job.Metadata.NamespaceProperty) ? "default" : job.Metadata.NamespaceProperty;
        return $"{JobNames.Hostname(name, 0)}.{JobNames.Service(name)}.{ns}.svc.{options.ClusterDomain}";
    }

    /// <summary>Builds the headless Service that gives a distributed job's replicas stable DNS names.</summary>
    /// <param name="job">The job.</param>
    /// <returns>The Service to create.</returns>
    public static V1Service BuildService(V1Alpha1LeptonJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var label = JobNames.LabelValue(job.Metadata.Name);
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = V1Service.KubeKind,
            Metadata = new V1ObjectMeta
            {
                Name = JobNames.Service(job.Metadata.Name),
                NamespaceProperty = job.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string> { [LeptonJobKeys.JobLabel] = label },
                OwnerReferences = [OwnerReference(job)],
            },
            Spec = new V1ServiceSpec
            {
                ClusterIP = "None",
                Selector = new Dictionary<string, string> { [LeptonJobKeys.JobLabel] = label },
                PublishNotReadyAddresses = true,
            },
        };
    }

    private void ApplyAccelerators(V1Alpha1LeptonJobAccelerators accelerators, V1Container container, Dictionary<string, string> annotations)
    {
        var resources = container.Resources ??= new V1ResourceRequirements();
        var requests = resources.Requests = new Dictionary<string, ResourceQuantity>(resources.Requests ?? new Dictionary<string, ResourceQuantity>(), StringComparer.Ordinal);
        var limits = resources.Limits = new Dictionary<string, ResourceQuantity>(resources.Limits ?? new Dictionary<string, ResourceQuantity>(), StringComparer.Ordinal);
        if (accelerators.Gpus > 0)
        {
            var named = requests.Keys.Concat(limits.Keys).FirstOrDefault(ResourceNames.IsGpu);
            var fractional = accelerators.IsFractional();
            var resource = named ?? (fractional ? options.SharedGpuResource : options.GpuResource);
            foreach (var key in requests.Keys.Concat(limits.Keys).Where(ResourceNames.IsGpu).ToList())
            {
                requests.Remove(key);
                limits.Remove(key);
            }

            var count = fractional ? 1 : accelerators.Gpus;
            requests[resource] = new ResourceQuantity(count.ToString(CultureInfo.InvariantCulture));
            limits[resource] = new ResourceQuantity(count.ToString(CultureInfo.InvariantCulture));
            if (fractional)
            {
                annotations[ResourceNames.GpuMilliAnnotation] = accelerators.GpuMilli!.Value.ToString(CultureInfo.InvariantCulture);
            }

            if (accelerators.GpuModels is { Count: > 0 } models)
            {
                annotations[ResourceNames.GpuModelsAnnotation] = string.Join('|', models);
            }
        }

        if (accelerators.Fpga is { Resource.Length: > 0 } fpga)
        {
            var quantity = new ResourceQuantity(Math.Max(1, fpga.Count).ToString(CultureInfo.InvariantCulture));
            requests[fpga.Resource] = quantity;
            limits[fpga.Resource] = new ResourceQuantity(quantity.ToString());
        }

        if (requests.Count == 0)
        {
            resources.Requests = null;
        }

        if (limits.Count == 0)
        {
            resources.Limits = null;
        }
    }

    /// <summary>
    /// Tolerates the <c>NoSchedule</c> taint keyed by each extended resource the pod requests
    /// (<c>nvidia.com/gpu</c>, an FPGA resource, …), as kube-apiserver's ExtendedResourceToleration
    /// admission plugin does where it is enabled: GPU node pools are commonly tainted with their
    /// device resource so that only pods asking for it land there, and a LeptonJob that asks for
    /// GPUs is such a pod. A toleration the template already has for that key is kept.
    /// </summary>
    private static void TolerateExtendedResources(V1PodSpec podSpec)
    {
        var resources = podSpec.Containers.Concat(podSpec.InitContainers ?? [])
            .SelectMany(c => (c.Resources?.Requests?.Keys ?? []).Concat(c.Resources?.Limits?.Keys ?? []))
            .Where(r => r.Contains('/', StringComparison.Ordinal) && !r.StartsWith("kubernetes.io/", StringComparison.Ordinal) && !r.StartsWith("requests.", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (resources.Count == 0)
        {
            return;
        }

        var tolerations = podSpec.Tolerations?.ToList() ?? [];
        foreach (var resource in resources)
        {
            if (!tolerations.Any(t => t.Key == resource && t.OperatorProperty == "Exists" && t.Effect is null or "" or "NoSchedule"))
            {
                tolerations.Add(new V1Toleration { Key = resource, OperatorProperty = "Exists", Effect = "NoSchedule" });
            }
        }

        podSpec.Tolerations = tolerations;
    }

    private static V1PodTemplateSpec Clone(V1PodTemplateSpec template) =>
        KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(template));
}
