using Lepton.Scheduling.Resources;

namespace Lepton.Operator.Jobs;

/// <summary>The labels, annotations, scheduling gate and finalizer the operator puts on LeptonJobs and their pods.</summary>
public static class LeptonJobKeys
{
    /// <summary>Label on every pod (and the headless Service) of a job: the job's name (or a hashed form when longer than a label value may be).</summary>
    public const string JobLabel = "lepton.ai/job";

    /// <summary>Label: the replica index of a pod, 0 to replicas - 1.</summary>
    public const string ReplicaIndexLabel = "lepton.ai/replica-index";

    /// <summary>Label on the pods of a gang (a Training job): the gang's name, read into <c>PodDemand.Gang</c>.</summary>
    public const string GangLabel = ResourceNames.GangLabel;

    /// <summary>The scheduling gate gang members are created with; only gang admission removes it (DECISIONS.md 9).</summary>
    public const string GangSchedulingGate = "lepton.ai/gang";

    /// <summary>Annotation: the attempt of a replica's pod, 0 for the first; a failed pod of an OnFailure job is replaced by the next attempt.</summary>
    public const string AttemptAnnotation = "lepton.ai/attempt";

    /// <summary>Annotation: the node gang admission reserved for the member (DECISIONS.md 9); the extender's filter rejects every other node.</summary>
    public const string ReservedNodeAnnotation = ResourceNames.ReservedNodeAnnotation;

    /// <summary>
    /// Annotation: when gang admission reserved the member (round-trip UTC time). Every member of one admission
    /// carries the same value, which therefore names the batch the gang timeout applies to.
    /// </summary>
    public const string AdmittedAtAnnotation = "lepton.ai/admitted-at";

    /// <summary>The finalizer on every LeptonJob: the operator deletes the job's pods and Service before the job goes.</summary>
    public const string Finalizer = "lepton.ai/cleanup";

    /// <summary>The environment variable with the replica index.</summary>
    public const string ReplicaIndexEnv = "LEPTON_REPLICA_INDEX";
}
