using System.Collections.Immutable;
using System.Globalization;
using Lepton.Scheduling.Inventory;

namespace Lepton.Simulator.Workloads;

/// <summary>
/// Reads the openb trace format (Alibaba <c>cluster-trace-gpu-v2023</c>): node lists
/// (<c>sn,cpu_milli,memory_mib,gpu,model</c>) and pod lists (<c>name,cpu_milli,memory_mib,num_gpu,gpu_milli</c>,
/// optionally <c>gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time</c>), mapped the way
/// the FGD artifact maps them (<c>traces/openb/METHOD.md</c> section 1). Columns are found by header
/// name, so every variant (including the five-column <c>multigpu*</c> lists) reads. The first
/// malformed row fails the whole file with its line and column.
/// </summary>
public static class OpenbCsv
{
    /// <summary>Pod slots per node in the artifact's cluster (<c>pods = 1001</c>).</summary>
    public const int ArtifactMaxPods = 1001;

    private const long MiB = 1024L * 1024L;

    private static readonly string[] NodeColumns = ["sn", "cpu_milli", "memory_mib", "gpu", "model"];
    private static readonly string[] PodColumns = ["name", "cpu_milli", "memory_mib", "num_gpu", "gpu_milli"];

    /// <summary>Reads a node list and a pod list into a workload.</summary>
    /// <param name="nodesPath">The node CSV.</param>
    /// <param name="podsPath">The pod CSV.</param>
    /// <param name="catalog">GPU model aliases; none when null.</param>
    /// <returns>The workload, named after the pod file.</returns>
    /// <exception cref="WorkloadFormatException">A file is unreadable or malformed.</exception>
    public static Workload Load(string nodesPath, string podsPath, GpuModelCatalog? catalog = null)
    {
        var nodes = ReadNodes(nodesPath, catalog);
        var pods = ReadPods(podsPath, catalog);
        return new Workload
        {
            Name = Path.GetFileNameWithoutExtension(podsPath),
            Source = WorkloadSource.Trace,
            Nodes = nodes,
            Pods = pods,
            Origin = $"{nodesPath} + {podsPath}",
        };
    }

    /// <summary>Reads a node list.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="catalog">GPU model aliases; none when null.</param>
    /// <returns>The nodes, in file order.</returns>
    /// <exception cref="WorkloadFormatException">The file is unreadable or malformed.</exception>
    public static IReadOnlyList<NodeInventory> ReadNodes(string path, GpuModelCatalog? catalog = null)
    {
        using var reader = Open(path);
        return ReadNodes(reader, path, catalog);
    }

    /// <summary>Reads a pod list.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="catalog">GPU model aliases; none when null.</param>
    /// <returns>The pods, in file order.</returns>
    /// <exception cref="WorkloadFormatException">The file is unreadable or malformed.</exception>
    public static IReadOnlyList<WorkloadPod> ReadPods(string path, GpuModelCatalog? catalog = null)
    {
        using var reader = Open(path);
        return ReadPods(reader, path, catalog);
    }

    /// <summary>Reads a node list from text.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="source">The file name for messages.</param>
    /// <param name="catalog">GPU model aliases; none when null.</param>
    /// <returns>The nodes.</returns>
    /// <exception cref="WorkloadFormatException">The text is malformed.</exception>
    public static IReadOnlyList<NodeInventory> ReadNodes(TextReader reader, string source, GpuModelCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        catalog ??= GpuModelCatalog.Empty;
        var table = new Table(reader, source, NodeColumns);
        var nodes = new List<NodeInventory>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var models = new Dictionary<string, string>(StringComparer.Ordinal);
        while (table.Next())
        {
            var name = table.Name("sn");
            if (!names.Add(name))
            {
                throw table.Error("sn", $"node '{name}' appears twice");
            }

            var cards = (int)table.Integer("gpu", 0, 1024);
            nodes.Add(new NodeInventory
            {
                Name = name,
                CpuMilli = table.Integer("cpu_milli", 0, long.MaxValue / 4),
                MemoryBytes = checked(table.Integer("memory_mib", 0, long.MaxValue / (4 * MiB)) * MiB),
                MaxPods = ArtifactMaxPods,
                GpuCards = cards,
                GpuModel = cards > 0 && catalog.Normalize(table.Text("model")) is { } m ? Shared(models, m) : null,
            });
        }

        if (nodes.Count == 0)
        {
            throw new WorkloadFormatException(source, 0, 0, "the node list has no rows");
        }

        return nodes;
    }

    /// <summary>Reads a pod list from text.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="source">The file name for messages.</param>
    /// <param name="catalog">GPU model aliases; none when null.</param>
    /// <returns>The pods.</returns>
    /// <exception cref="WorkloadFormatException">The text is malformed.</exception>
    public static IReadOnlyList<WorkloadPod> ReadPods(TextReader reader, string source, GpuModelCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        catalog ??= GpuModelCatalog.Empty;
        var table = new Table(reader, source, PodColumns);
        var hasCreation = table.Has("creation_time");
        var hasDeletion = table.Has("deletion_time");
        var pods = new List<WorkloadPod>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (table.Next())
        {
            var name = table.Name("name");
            if (!names.Add(name))
            {
                throw table.Error("name", $"pod '{name}' appears twice");
            }

            var count = (int)table.Integer("num_gpu", 0, 1024);
            var rawMilli = table.Integer("gpu_milli", 0, int.MaxValue);

            // The artifact's annotations: gpu-milli = v for 0 < v <= 1000, 1000 above, else 0;
            // gpu-count = num_gpu (METHOD.md section 1).
            var milli = count == 0 ? 0 : rawMilli > 1000 ? 1000 : (int)rawMilli;
            var qos = table.Has("qos") ? table.Text("qos") : string.Empty;
            long? created = hasCreation ? table.Integer("creation_time", 0, long.MaxValue / 4) : null;
            long? deleted = hasDeletion ? table.OptionalInteger("deletion_time", 0, long.MaxValue / 4) : null;
            if (created is { } c && deleted is { } d && d < c)
            {
                throw table.Error("deletion_time", $"deletion_time {d} is before creation_time {c}");
            }

            var pod = new PodDemand
            {
                Uid = name,
                Namespace = "openb",
                Name = name,
                CpuMilli = table.Integer("cpu_milli", 0, long.MaxValue / 4),
                MemoryBytes = checked(table.Integer("memory_mib", 0, long.MaxValue / (4 * MiB)) * MiB),
                GpuCount = count,
                GpuMilli = milli,
                GpuModels = table.Has("gpu_spec") ? Models(table.Text("gpu_spec"), catalog) : [],
                QosClass = qos.Length == 0 ? "BestEffort" : qos,
                Priority = PriorityOf(qos),
            };
            pods.Add(new WorkloadPod(pod, created, deleted));
        }

        if (pods.Count == 0)
        {
            throw new WorkloadFormatException(source, 0, 0, "the pod list has no rows");
        }

        return pods;
    }

    /// <summary>
    /// The scheduling priority the timeline mode's priority queue gives an openb QoS class:
    /// latency-sensitive (<c>LS</c>) and <c>Guaranteed</c> 2, <c>Burstable</c> 1, best-effort (<c>BE</c>) and unknown 0.
    /// </summary>
    /// <param name="qos">The trace's <c>qos</c> value.</param>
    /// <returns>The priority.</returns>
    public static int PriorityOf(string? qos) => qos switch
    {
        "LS" or "Guaranteed" => 2,
        "Burstable" => 1,
        _ => 0,
    };

    // Keeps duplicates (a few openb specs list a model twice): the artifact's typical-task key is
    // the exact spec string.
    private static ImmutableArray<string> Models(string spec, GpuModelCatalog catalog)
    {
        if (spec.Length == 0)
        {
            return [];
        }

        var parts = spec.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var builder = ImmutableArray.CreateBuilder<string>(parts.Length);
        foreach (var p in parts)
        {
            builder.Add(catalog.Normalize(p)!);
        }

        return builder.MoveToImmutable();
    }

    // One string instance per distinct model, so model comparisons hit reference equality.
    private static string Shared(Dictionary<string, string> seen, string value)
    {
        if (seen.TryGetValue(value, out var existing))
        {
            return existing;
        }

        seen.Add(value, value);
        return value;
    }

    private static StreamReader Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return new StreamReader(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new WorkloadFormatException(path, 0, 0, $"cannot read the file: {e.Message}", e);
        }
    }

    /// <summary>A header-addressed CSV cursor that knows where it is.</summary>
    private sealed class Table
    {
        private readonly TextReader _reader;
        private readonly string _source;
        private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);
        private string[] _fields = [];
        private int _line;

        public Table(TextReader reader, string source, string[] required)
        {
            _reader = reader;
            _source = source;
            var header = ReadLine();
            if (header is null)
            {
                throw new WorkloadFormatException(source, 0, 0, $"the file is empty; expected a header with {string.Join(',', required)}");
            }

            var names = header.Split(',');
            for (var i = 0; i < names.Length; i++)
            {
                var n = names[i].Trim();
                if (n.Length == 0 || !_columns.TryAdd(n, i))
                {
                    throw new WorkloadFormatException(source, _line, i + 1, n.Length == 0 ? "empty column name in the header" : $"column '{n}' appears twice in the header");
                }
            }

            Width = names.Length;
            foreach (var r in required)
            {
                if (!_columns.ContainsKey(r))
                {
                    throw new WorkloadFormatException(source, _line, 0, $"the header lacks column '{r}' (expected {string.Join(',', required)})");
                }
            }
        }

        private int Width { get; }

        public bool Has(string column) => _columns.ContainsKey(column);

        public bool Next()
        {
            while (true)
            {
                string? line;
                try
                {
                    line = ReadLine();
                }
                catch (IOException e)
                {
                    throw new WorkloadFormatException(_source, _line, 0, $"cannot read the file: {e.Message}", e);
                }

                if (line is null)
                {
                    return false;
                }

                if (line.Length == 0)
                {
                    continue;
                }

                _fields = line.Split(',');
                if (_fields.Length != Width)
                {
                    var column = Math.Min(_fields.Length, Width) + 1;
                    throw new WorkloadFormatException(_source, _line, column, $"expected {Width} fields, found {_fields.Length}");
                }

                return true;
            }
        }

        public string Text(string column) => _fields[_columns[column]].Trim();

        public string Name(string column)
        {
            var v = Text(column);
            return v.Length == 0 ? throw Error(column, $"'{column}' is empty") : v;
        }

        public long Integer(string column, long min, long max)
        {
            var v = Text(column);
            if (!long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                throw Error(column, v.Length == 0 ? $"'{column}' is empty; expected an integer" : $"'{column}' is '{v}'; expected an integer");
            }

            if (n < min || n > max)
            {
                throw Error(column, $"'{column}' is {n}; expected {min}..{max}");
            }

            return n;
        }

        public long? OptionalInteger(string column, long min, long max) => Text(column).Length == 0 ? null : Integer(column, min, max);

        public WorkloadFormatException Error(string column, string reason) =>
            new(_source, _line, _columns[column] + 1, reason);

        private string? ReadLine()
        {
            var line = _reader.ReadLine();
            if (line is not null)
            {
                _line++;
                if (_line == 1 && line.Length > 0 && line[0] == '\uFEFF')
                {
                    line = line[1..];
                }

                line = line.TrimEnd('\r');
            }

            return line;
        }
    }
}
