using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Lepton.Testing.KubeApiServer;

/// <summary>Settings of a <see cref="KubeApiTestServer"/>. Every default mirrors the real API server where one exists.</summary>
public sealed class KubeApiTestServerOptions
{
    /// <summary>The clock for timestamps, watch timeouts, bookmarks and injected latency.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Loopback address to bind.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Watch events kept for watches that resume from a resourceVersion (like the watch cache).</summary>
    public int EventHistoryCapacity { get; set; } = 1000;

    /// <summary>Interval of BOOKMARK events on watches with <c>allowWatchBookmarks=true</c>; null sends them only on demand.</summary>
    public TimeSpan? BookmarkInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Server-side watch timeout when the client sends no <c>timeoutSeconds</c>; null means none.</summary>
    public TimeSpan? DefaultWatchTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Events buffered per watch before the server closes a watch that cannot keep up.</summary>
    public int WatchBufferCapacity { get; set; } = 10_000;

    /// <summary>Continue tokens (paged lists) remembered for consistent paging.</summary>
    public int MaxListSnapshots { get; set; } = 64;

    /// <summary>Whether creating a namespaced object requires its namespace to exist (the NamespaceLifecycle admission plugin).</summary>
    public bool RequireExistingNamespace { get; set; } = true;

    /// <summary>Namespaces present at start.</summary>
    public IList<string> Namespaces { get; } = ["default", "kube-system", "kube-public", "kube-node-lease"];

    /// <summary>CustomResourceDefinitions registered at start (JSON objects, as a client would POST them).</summary>
    public IList<JsonObject> CustomResourceDefinitions { get; } = [];

    /// <summary>Whether PodDisruptionBudget status is recomputed after every pod or PDB write.</summary>
    public bool EnableDisruptionBudgetController { get; set; } = true;

    /// <summary>Whether a gated pod gets <c>PodScheduled=False, reason SchedulingGated</c> on create (kube-scheduler's job on a real cluster).</summary>
    public bool SetSchedulingGatedCondition { get; set; } = true;

    /// <summary>The version <c>/version</c> reports.</summary>
    public string ServerVersion { get; set; } = "v1.32.0";

    /// <summary>Source of UIDs and generated-name suffixes; seed it for reproducible names.</summary>
    public Random Random { get; set; } = new();

    /// <summary>Hook to add logging providers (none by default).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }
}
