using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Selectors;

namespace Lepton.Testing.KubeApiServer.Watch;

/// <summary>What a list or watch selects: a resource, optionally one namespace, label and field selectors.</summary>
internal sealed record WatchFilter(GroupResource Resource, string? Namespace, LabelSelector Labels, FieldSelector Fields)
{
    public bool Matches(JsonObject obj) =>
        (string.IsNullOrEmpty(Namespace) || ObjectMeta.Namespace(obj) == Namespace)
        && Labels.Matches(ObjectMeta.Labels(obj))
        && Fields.Matches(obj);
}
