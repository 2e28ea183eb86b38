using System.Globalization;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Errors;
using Lepton.Testing.KubeApiServer.Json;
using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Selectors;
using Lepton.Testing.KubeApiServer.Storage;
using Lepton.Testing.KubeApiServer.Watch;
using Microsoft.AspNetCore.Http;

namespace Lepton.Testing.KubeApiServer.Http;

/// <summary>Typed access to the query parameters of list, watch, write and delete requests.</summary>
internal sealed class QueryOptions(IQueryCollection query)
{
    public string? String(string name) => query.TryGetValue(name, out var values) ? values.ToString() : null;

    public bool Bool(string name) => String(name) is "true" or "1";

    public int? Int(string name)
    {
        var text = String(name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ApiErrors.BadRequest($"invalid value for {name}: \"{text}\"");
    }

    public bool DryRun => String("dryRun") is { Length: > 0 } dryRun && dryRun.Split(',').Contains("All");

    public WatchFilter Filter(ResourceDefinition definition, string ns, string? name)
    {
        try
        {
            var labels = LabelSelector.Parse(String("labelSelector"));
            var fieldText = String("fieldSelector");
            if (!string.IsNullOrEmpty(name))
            {
                fieldText = string.IsNullOrEmpty(fieldText) ? "metadata.name=" + name : fieldText + ",metadata.name=" + name;
            }

            return new WatchFilter(definition.GroupResource, ns, labels, FieldSelector.Parse(fieldText, definition));
        }
        catch (FormatException e)
        {
            throw ApiErrors.BadRequest("unable to parse requirement: " + e.Message);
        }
    }

    /// <summary>
    /// The watch start: empty or "0" means "current state first"; a number resumes after that version;
    /// <c>sendInitialEvents=true</c> asks for the state and an initial-events-end bookmark.
    /// </summary>
    public WatchStart WatchStart()
    {
        var text = String("resourceVersion");
        long? rv = null;
        if (!string.IsNullOrEmpty(text))
        {
            rv = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw ApiErrors.BadRequest($"invalid resource version \"{text}\"");
        }

        return new WatchStart(rv, Bool("sendInitialEvents"), Bool("allowWatchBookmarks"));
    }

    /// <summary>DeleteOptions from the body (if any) overlaid with query parameters.</summary>
    public DeleteRequest DeleteRequest(JsonObject? body)
    {
        var preconditions = JsonNodes.GetObject(body, "preconditions");
        var policy = String("propagationPolicy") ?? JsonNodes.GetString(body, "propagationPolicy");
        var orphan = String("orphanDependents") ?? JsonNodes.ScalarText(body?["orphanDependents"]);
        if (policy is null && orphan is not null)
        {
            policy = orphan == "true" ? Storage.DeleteRequest.Orphan : Storage.DeleteRequest.Background;
        }

        if (policy is not (null or Storage.DeleteRequest.Orphan or Storage.DeleteRequest.Background or Storage.DeleteRequest.Foreground))
        {
            throw ApiErrors.Invalid("DeleteOptions", "meta.k8s.io", "",
                [FieldError.NotSupported("propagationPolicy", policy, [Storage.DeleteRequest.Foreground, Storage.DeleteRequest.Background, Storage.DeleteRequest.Orphan, "nil"])]);
        }

        var dryRun = DryRun || JsonNodes.StringList(JsonNodes.GetArray(body, "dryRun")).Contains("All");
        return new DeleteRequest(policy, JsonNodes.GetString(preconditions, "uid"), JsonNodes.GetString(preconditions, "resourceVersion"), dryRun);
    }
}
