using System.Text.Json.Serialization;

namespace Lepton.Kubernetes.Wire;

/// <summary>
/// Source-generated serialisation of the extender wire types. Requests are read with
/// case-insensitive keys (as Go's decoder does) and unknown keys ignored; responses write every
/// key, nulls included.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    AllowTrailingCommas = false,
    MaxDepth = 128)]
[JsonSerializable(typeof(ExtenderArgs))]
[JsonSerializable(typeof(ExtenderFilterResult))]
[JsonSerializable(typeof(List<HostPriority>))]
[JsonSerializable(typeof(ExtenderBindingArgs))]
[JsonSerializable(typeof(ExtenderBindingResult))]
[JsonSerializable(typeof(ExtenderPreemptionArgs))]
[JsonSerializable(typeof(ExtenderPreemptionResult))]
public sealed partial class ExtenderJsonContext : JsonSerializerContext;
