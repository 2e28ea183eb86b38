using System.Text.Json.Serialization;
using k8s.Models;
using Lepton.Operator.Crds.Attributes;
using Lepton.Operator.Prediction;

namespace Lepton.Operator.Entities;

/// <summary>The observed state of a LeptonJob, written by the Lepton operator.</summary>
public sealed class V1Alpha1LeptonJobStatus
{
    /// <summary>
    /// Where the job is in its lifecycle: Pending (accepted, no pods yet), Scheduling (pods wait
    /// for placement), Running, Succeeded or Failed.
    /// </summary>
    [JsonPropertyName("phase")]
    [EnumValues(LeptonJobPhases.Pending, LeptonJobPhases.Scheduling, LeptonJobPhases.Running, LeptonJobPhases.Succeeded, LeptonJobPhases.Failed)]
    public string? Phase { get; set; }

    /// <summary>
    /// The latest observations of the job: Scheduled, Running, Completed, Failed and Unschedulable. While
    /// the job waits, the Unschedulable condition's message says why in plain words: which
    /// resource, how much is missing and on how many nodes.
    /// </summary>
    [JsonPropertyName("conditions")]
    [ListType(ListTypeAttribute.Map, MapKeys = ["type"])]
    public IList<V1Condition>? Conditions { get; set; }

    /// <summary>The metadata.generation of the spec this status describes.</summary>
    [JsonPropertyName("observedGeneration")]
    [RangeMinimum(0)]
    public long? ObservedGeneration { get; set; }

    /// <summary>One entry per replica that has a pod: its index, pod, node and pod phase.</summary>
    [JsonPropertyName("replicaStatuses")]
    [ListType(ListTypeAttribute.Map, MapKeys = ["index"])]
    public IList<V1Alpha1LeptonJobReplicaStatus>? ReplicaStatuses { get; set; }

    /// <summary>
    /// The GPUs the job holds, for display: a count of whole GPUs (e.g. 4), or replicas x share for
    /// fractional jobs (e.g. 4x460m: four replicas of 460 milli-GPU each).
    /// </summary>
    [JsonPropertyName("gpus")]
    public string? Gpus { get; set; }

    /// <summary>The names of the nodes the replicas are bound to, comma-separated, for display.</summary>
    [JsonPropertyName("nodes")]
    public string? Nodes { get; set; }

    /// <summary>
    /// The run time that orders a Training job in the admission queue, as a Go duration (e.g. 1h23m): the duration
    /// predictor's estimate, or spec.expectedDuration when it is honoured (predictedDurationSource says which). Set
    /// once, when the operator first sees the job; empty for Inference jobs and when no prediction is available.
    /// </summary>
    [JsonPropertyName("predictedDuration")]
    [Format(FormatAttribute.Duration)]
    public string? PredictedDuration { get; set; }

    /// <summary>
    /// Where predictedDuration came from: Predicted (the duration predictor) or Declared (spec.expectedDuration, used
    /// when it is at least the prediction, or when maxRuntime is at most twice it).
    /// </summary>
    [JsonPropertyName("predictedDurationSource")]
    [EnumValues(PredictionSources.Predicted, PredictionSources.Declared)]
    public string? PredictedDurationSource { get; set; }

    /// <summary>The duration predictor that predicted the run time, with its version (e.g. predictor@0123456789ab).</summary>
    [JsonPropertyName("predictionModel")]
    public string? PredictionModel { get; set; }

    /// <summary>Why spec.expectedDuration does not order the job, or why there is no prediction; empty otherwise.</summary>
    [JsonPropertyName("predictionMessage")]
    public string? PredictionMessage { get; set; }

    /// <summary>When the job started running (enough replicas bound and running).</summary>
    [JsonPropertyName("startTime")]
    public DateTime? StartTime { get; set; }

    /// <summary>When the job reached Succeeded or Failed.</summary>
    [JsonPropertyName("completionTime")]
    public DateTime? CompletionTime { get; set; }

    /// <summary>A human-readable summary of the current state, e.g. why the job failed.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>
    /// Adds or updates a condition (see <see cref="StatusConditions.Set"/>): lastTransitionTime
    /// changes only when the status changes.
    /// </summary>
    /// <param name="type">The condition type (see <see cref="LeptonJobConditionTypes"/>).</param>
    /// <param name="status">True, False or Unknown (see <see cref="ConditionStatuses"/>).</param>
    /// <param name="reason">A CamelCase reason (see <see cref="LeptonJobConditionReasons"/>).</param>
    /// <param name="message">A human-readable message; may be empty.</param>
    /// <param name="observedGeneration">The metadata.generation the condition was computed from, or null.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>True when the conditions changed.</returns>
    public bool SetCondition(string type, string status, string reason, string? message, long? observedGeneration, TimeProvider timeProvider)
    {
        Conditions ??= [];
        return StatusConditions.Set(Conditions, type, status, reason, message, observedGeneration, timeProvider);
    }

    /// <summary>The condition of a type, or null.</summary>
    /// <param name="type">The condition type.</param>
    /// <returns>The condition.</returns>
    public V1Condition? FindCondition(string type) => StatusConditions.Find(Conditions, type);

    /// <summary>Whether the condition of a type exists with status True.</summary>
    /// <param name="type">The condition type.</param>
    /// <returns>True when the condition is True.</returns>
    public bool IsConditionTrue(string type) => StatusConditions.IsTrue(Conditions, type);
}
