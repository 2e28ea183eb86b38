using System.Globalization;
using System.Text.Json.Nodes;
using Lepton.Testing.KubeApiServer.Resources;
using Lepton.Testing.KubeApiServer.Watch;

namespace Lepton.Testing.KubeApiServer.Tables;

/// <summary>Watch events whose objects are one-row Tables (<c>kubectl get -w</c>); column definitions only in the first.</summary>
internal sealed class TableWatchEncoder(ResourceDefinition definition, TableConverter converter, TableRequest request) : IWatchEncoder
{
    private readonly JsonWatchEncoder _json = new(definition);
    private bool _sentColumns;

    public byte[] Encode(WatchEventType type, JsonObject obj)
    {
        if (type is WatchEventType.Error or WatchEventType.Bookmark)
        {
            return _json.Encode(type, obj);
        }

        var table = converter.ToTable(definition, [obj], request, null, includeColumnDefinitions: !_sentColumns);
        _sentColumns = true;
        return JsonWatchEncoder.EncodeLine(type, table);
    }

    public byte[] EncodeBookmark(long resourceVersion, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        var bookmark = new JsonObject { ["kind"] = "Table", ["apiVersion"] = request.ApiVersion, ["metadata"] = metadata, ["columnDefinitions"] = new JsonArray(), ["rows"] = new JsonArray() };
        return JsonWatchEncoder.EncodeLine(WatchEventType.Bookmark, bookmark);
    }
}
