using System.ComponentModel;
using System.Reflection;
using Lepton.Operator.Crds;
using Lepton.Operator.Entities;
using YamlDotNet.RepresentationModel;

namespace Lepton.Operator.Tests.Crds;

public class LeptonJobCrdSchemaTests
{
    private static readonly Lazy<YamlMappingNode> LazyCrd = new(() =>
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(CrdGenerator.GenerateYaml(typeof(V1Alpha1LeptonJob))));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    });

    private static YamlMappingNode Crd => LazyCrd.Value;

    private static YamlMappingNode Version => (YamlMappingNode)((YamlSequenceNode)Get(Crd, "spec", "versions")).Children.Single();

    private static YamlMappingNode Schema => (YamlMappingNode)Get(Version, "schema", "openAPIV3Schema");

    private static YamlMappingNode Spec => (YamlMappingNode)Get(Schema, "properties", "spec");

    private static YamlMappingNode Status => (YamlMappingNode)Get(Schema, "properties", "status");

    [Fact]
    public void Crd_Header_IsApiextensionsV1WithGroupAndName()
    {
        Assert.Equal("apiextensions.k8s.io/v1", Text(Crd, "apiVersion"));
        Assert.Equal("CustomResourceDefinition", Text(Crd, "kind"));
        Assert.Equal("leptonjobs.lepton.ai", Text(Crd, "metadata", "name"));
        Assert.Equal("lepton.ai", Text(Crd, "spec", "group"));
        Assert.Equal("Namespaced", Text(Crd, "spec", "scope"));
    }

    [Fact]
    public void Crd_Names_HaveKindPluralSingularShortNameAndCategory()
    {
        Assert.Equal("LeptonJob", Text(Crd, "spec", "names", "kind"));
        Assert.Equal("LeptonJobList", Text(Crd, "spec", "names", "listKind"));
        Assert.Equal("leptonjobs", Text(Crd, "spec", "names", "plural"));
        Assert.Equal("leptonjob", Text(Crd, "spec", "names", "singular"));
        Assert.Equal(["lj"], Strings(Get(Crd, "spec", "names", "shortNames")));
        Assert.Equal(["lepton"], Strings(Get(Crd, "spec", "names", "categories")));
    }

    [Fact]
    public void Version_V1Alpha1_IsServedStoredWithStatusSubresource()
    {
        Assert.Equal("v1alpha1", Text(Version, "name"));
        Assert.Equal("true", Text(Version, "served"));
        Assert.Equal("true", Text(Version, "storage"));
        var status = Assert.IsType<YamlMappingNode>(Get(Version, "subresources", "status"));
        Assert.Empty(status.Children);
    }

    [Theory]
    [InlineData("Type", ".spec.type", "string", 0)]
    [InlineData("Replicas", ".spec.replicas", "integer", 1)]
    [InlineData("Phase", ".status.phase", "string", 0)]
    [InlineData("GPUs", ".status.gpus", "string", 0)]
    [InlineData("Nodes", ".status.nodes", "string", 0)]
    [InlineData("Predicted", ".status.predictedDuration", "string", 1)]
    [InlineData("Age", ".metadata.creationTimestamp", "date", 0)]
    public void PrinterColumns_Column_HasPathTypeAndPriority(string name, string jsonPath, string type, int priority)
    {
        var column = ((YamlSequenceNode)Get(Version, "additionalPrinterColumns")).Children
            .Cast<YamlMappingNode>()
            .Single(c => Text(c, "name") == name);

        Assert.Equal(jsonPath, Text(column, "jsonPath"));
        Assert.Equal(type, Text(column, "type"));
        Assert.Equal(priority, column.Children.TryGetValue(new YamlScalarNode("priority"), out var p) ? int.Parse(((YamlScalarNode)p).Value!) : 0);
    }

    [Fact]
    public void PrinterColumns_Order_IsTypePhaseGpusNodesAge()
    {
        var names = ((YamlSequenceNode)Get(Version, "additionalPrinterColumns")).Children
            .Cast<YamlMappingNode>()
            .Where(c => !c.Children.ContainsKey(new YamlScalarNode("priority")))
            .Select(c => Text(c, "name"));

        Assert.Equal(["Type", "Phase", "GPUs", "Nodes", "Age"], names);
    }

    [Fact]
    public void Schema_Root_RequiresSpecAndHasStandardProperties()
    {
        Assert.Equal("object", Text(Schema, "type"));
        Assert.Equal(["apiVersion", "kind", "metadata", "spec", "status"], Keys(Get(Schema, "properties")));
        Assert.Equal(["spec"], Strings(Get(Schema, "required")));
        Assert.Equal("object", Text(Schema, "properties", "metadata", "type"));
    }

    [Fact]
    public void Schema_Spec_HasTheDeclaredFieldsInOrder()
    {
        Assert.Equal(
            ["type", "replicas", "template", "accelerators", "priorityClassName", "minAvailable", "expectedDuration", "maxRuntime", "restartPolicy"],
            Keys(Get(Spec, "properties")));
        Assert.Equal(["type", "template"], Strings(Get(Spec, "required")));
        Assert.Equal(["gpus", "gpuMilli", "gpuModels", "fpga"], Keys(Get(Spec, "properties", "accelerators", "properties")));
        Assert.Equal(["resource", "count"], Keys(Get(Spec, "properties", "accelerators", "properties", "fpga", "properties")));
    }

    [Fact]
    public void Schema_Status_HasTheDeclaredFieldsInOrder()
    {
        Assert.Equal(
            ["phase", "conditions", "observedGeneration", "replicaStatuses", "gpus", "nodes", "predictedDuration", "predictedDurationSource", "predictionModel", "predictionMessage", "startTime", "completionTime", "message"],
            Keys(Get(Status, "properties")));
        Assert.Equal(["index", "podName", "nodeName", "phase"], Keys(Get(Status, "properties", "replicaStatuses", "items", "properties")));
        Assert.Equal(["Pending", "Scheduling", "Running", "Succeeded", "Failed"], Strings(Get(Status, "properties", "phase", "enum")));
    }

    [Theory]
    [InlineData("replicas", "integer", "1", "10000")]
    [InlineData("minAvailable", "integer", "1", null)]
    [InlineData("accelerators.gpus", "integer", "0", "64")]
    [InlineData("accelerators.gpuMilli", "integer", "1", "1000")]
    [InlineData("accelerators.fpga.count", "integer", "1", null)]
    public void Schema_IntegerField_HasRange(string path, string type, string minimum, string? maximum)
    {
        var field = SpecField(path);

        Assert.Equal(type, Text(field, "type"));
        Assert.Equal("int32", Text(field, "format"));
        Assert.Equal(minimum, Text(field, "minimum"));
        Assert.Equal(maximum, field.Children.TryGetValue(new YamlScalarNode("maximum"), out var max) ? ((YamlScalarNode)max).Value : null);
    }

    [Theory]
    [InlineData("replicas", "1")]
    [InlineData("restartPolicy", "Never")]
    [InlineData("accelerators.gpus", "0")]
    [InlineData("accelerators.fpga.count", "1")]
    public void Schema_DefaultedField_HasDefault(string path, string value)
    {
        Assert.Equal(value, Text(SpecField(path), "default"));
    }

    [Theory]
    [InlineData("type", new[] { "Training", "Inference" })]
    [InlineData("restartPolicy", new[] { "Never", "OnFailure" })]
    public void Schema_EnumField_ListsValues(string path, string[] values)
    {
        Assert.Equal(values, Strings(Get(SpecField(path), "enum")));
    }

    [Theory]
    [InlineData("accelerators.fpga.resource", "fpga.intel.com/region-ce48969398f05f33946d560708be108a", true)]
    [InlineData("accelerators.fpga.resource", "fpga.intel.com/af-d8424dc4a4a3c413f89e433683f9040b", true)]
    [InlineData("accelerators.fpga.resource", "xilinx.com/fpga-xilinx_u200_xdma_201830_2-1561465320", true)]
    [InlineData("accelerators.fpga.resource", "amd.com/fpga-alveo_u55c", true)]
    [InlineData("accelerators.fpga.resource", "nvidia.com/gpu", false)]
    [InlineData("accelerators.fpga.resource", "xilinx.com/u200", false)]
    [InlineData("priorityClassName", "high-priority", true)]
    [InlineData("priorityClassName", "High_Priority", false)]
    [InlineData("expectedDuration", "1h30m", true)]
    [InlineData("expectedDuration", "2.5h", true)]
    [InlineData("expectedDuration", "90 minutes", false)]
    [InlineData("expectedDuration", "-1h", false)]
    public void Schema_Pattern_AcceptsAndRejects(string path, string value, bool matches)
    {
        var pattern = Text(SpecField(path), "pattern");

        Assert.Equal(matches, System.Text.RegularExpressions.Regex.IsMatch(value, pattern));
    }

    [Theory]
    [InlineData("", V1Alpha1LeptonJobSpec.MinAvailableRule, ".minAvailable")]
    [InlineData("type", V1Alpha1LeptonJobSpec.TypeImmutableRule, null)]
    [InlineData("expectedDuration", V1Alpha1LeptonJobSpec.PositiveDurationRule, null)]
    [InlineData("maxRuntime", V1Alpha1LeptonJobSpec.PositiveDurationRule, null)]
    [InlineData("accelerators", V1Alpha1LeptonJobAccelerators.GpuMilliRule, ".gpuMilli")]
    [InlineData("accelerators", V1Alpha1LeptonJobAccelerators.GpuModelsRule, ".gpuModels")]
    public void Schema_CelRule_IsDeclaredWithMessage(string path, string rule, string? fieldPath)
    {
        var node = path.Length == 0 ? Spec : SpecField(path);

        var validation = ((YamlSequenceNode)Get(node, "x-kubernetes-validations")).Children
            .Cast<YamlMappingNode>()
            .Single(v => Text(v, "rule") == rule);

        Assert.False(string.IsNullOrWhiteSpace(Text(validation, "message")));
        Assert.Equal(fieldPath, validation.Children.TryGetValue(new YamlScalarNode("fieldPath"), out var f) ? ((YamlScalarNode)f).Value : null);
    }

    [Fact]
    public void Schema_Template_IsSchemalessObjectThatPreservesFields()
    {
        var template = SpecField("template");

        Assert.Equal("object", Text(template, "type"));
        Assert.Equal("true", Text(template, "x-kubernetes-preserve-unknown-fields"));
        Assert.False(template.Children.ContainsKey(new YamlScalarNode("properties")));
        Assert.Contains("API server validates the pods", Text(template, "description"), StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_GpuModels_IsBoundedSetOfLabelValues()
    {
        var models = SpecField("accelerators.gpuModels");

        Assert.Equal("array", Text(models, "type"));
        Assert.Equal("set", Text(models, "x-kubernetes-list-type"));
        Assert.Equal("32", Text(models, "maxItems"));
        Assert.Equal("string", Text(models, "items", "type"));
        Assert.Equal("63", Text(models, "items", "maxLength"));
        Assert.Equal(V1Alpha1LeptonJobAccelerators.GpuModelPattern, Text(models, "items", "pattern"));
    }

    [Theory]
    [InlineData("expectedDuration")]
    [InlineData("maxRuntime")]
    public void Schema_DurationField_HasDurationFormat(string path)
    {
        Assert.Equal("duration", Text(SpecField(path), "format"));
    }

    [Fact]
    public void Schema_Conditions_MatchMetav1Condition()
    {
        var conditions = (YamlMappingNode)Get(Status, "properties", "conditions");
        var item = (YamlMappingNode)Get(conditions, "items");
        var properties = Get(item, "properties");

        Assert.Equal("array", Text(conditions, "type"));
        Assert.Equal("map", Text(conditions, "x-kubernetes-list-type"));
        Assert.Equal(["type"], Strings(Get(conditions, "x-kubernetes-list-map-keys")));
        Assert.Equal("object", Text(item, "type"));
        Assert.Equal(["type", "status", "observedGeneration", "lastTransitionTime", "reason", "message"], Keys(properties));
        Assert.Equal(["type", "status", "lastTransitionTime", "reason", "message"], Strings(Get(item, "required")));

        Assert.Equal("string", Text(properties, "type", "type"));
        Assert.Equal("316", Text(properties, "type", "maxLength"));
        Assert.Equal(
            @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
            Text(properties, "type", "pattern"));
        Assert.Equal(["True", "False", "Unknown"], Strings(Get(properties, "status", "enum")));
        Assert.Equal("integer", Text(properties, "observedGeneration", "type"));
        Assert.Equal("int64", Text(properties, "observedGeneration", "format"));
        Assert.Equal("0", Text(properties, "observedGeneration", "minimum"));
        Assert.Equal("date-time", Text(properties, "lastTransitionTime", "format"));
        Assert.Equal("1", Text(properties, "reason", "minLength"));
        Assert.Equal("1024", Text(properties, "reason", "maxLength"));
        Assert.Equal("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$", Text(properties, "reason", "pattern"));
        Assert.Equal("32768", Text(properties, "message", "maxLength"));
    }

    [Fact]
    public void Schema_ReplicaStatuses_IsMapKeyedByRequiredIndex()
    {
        var replicas = (YamlMappingNode)Get(Status, "properties", "replicaStatuses");

        Assert.Equal("map", Text(replicas, "x-kubernetes-list-type"));
        Assert.Equal(["index"], Strings(Get(replicas, "x-kubernetes-list-map-keys")));
        Assert.Equal(["index"], Strings(Get(replicas, "items", "required")));
    }

    [Theory]
    [InlineData("startTime")]
    [InlineData("completionTime")]
    public void Schema_StatusTime_IsDateTime(string field)
    {
        Assert.Equal("string", Text(Status, "properties", field, "type"));
        Assert.Equal("date-time", Text(Status, "properties", field, "format"));
    }

    [Fact]
    public void Schema_EveryPropertyExceptMetadata_HasDescription()
    {
        var missing = Properties(Schema, "")
            .Where(p => p.Path != ".metadata")
            .Where(p => !p.Node.Children.TryGetValue(new YamlScalarNode("description"), out var d) || string.IsNullOrWhiteSpace(((YamlScalarNode)d).Value))
            .Select(p => p.Path)
            .ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void Schema_EveryLevel_HasType()
    {
        var untyped = Properties(Schema, "")
            .Where(p => !p.Node.Children.ContainsKey(new YamlScalarNode("type")))
            .Select(p => p.Path)
            .ToList();

        Assert.Empty(untyped);
        Assert.All(
            AllNodes(Schema).OfType<YamlMappingNode>().Where(m => m.Children.ContainsKey(new YamlScalarNode("items"))),
            m => Assert.True(((YamlMappingNode)Get(m, "items")).Children.ContainsKey(new YamlScalarNode("type"))));
    }

    [Fact]
    public void Schema_Descriptions_ComeFromXmlDocs()
    {
        Assert.StartsWith("The number of identical replicas", Text(SpecField("replicas"), "description"), StringComparison.Ordinal);
        Assert.StartsWith("LeptonJob runs a GPU or FPGA workload", Text(Schema, "description"), StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultValueAttributes_AgreeWithCSharpInitializers()
    {
        var types = new[] { typeof(V1Alpha1LeptonJobSpec), typeof(V1Alpha1LeptonJobAccelerators), typeof(V1Alpha1LeptonJobFpga) };
        foreach (var type in types)
        {
            var instance = Activator.CreateInstance(type);
            foreach (var property in type.GetProperties())
            {
                if (property.GetCustomAttribute<DefaultValueAttribute>() is { } attribute)
                {
                    Assert.True(Equals(attribute.Value, property.GetValue(instance)), $"{type.Name}.{property.Name}: [DefaultValue({attribute.Value})] but initialised to {property.GetValue(instance)}");
                }
            }
        }
    }

    [Fact]
    public void CheckedInCrd_ParsedByKubectl_KeepsStringsAsStrings()
    {
        if (!KubectlLocal.IsAvailable)
        {
            return; // optional check: kubectl is not installed here
        }

        var crd = KubectlLocal.Parse(RepoPaths.Combine("crds", "leptonjobs.lepton.ai.yaml"));
        var status = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["status"]!;
        var conditionStatus = status["properties"]!["conditions"]!["items"]!["properties"]!["status"]!["enum"]!.AsArray();

        Assert.Equal(["True", "False", "Unknown"], conditionStatus.Select(v => v!.GetValue<string>()));
        Assert.Equal(1, crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["replicas"]!["default"]!.GetValue<int>());
        Assert.True(crd["spec"]!["versions"]![0]!["served"]!.GetValue<bool>());
    }

    private static YamlMappingNode SpecField(string dottedPath)
    {
        YamlNode node = Spec;
        foreach (var part in dottedPath.Split('.'))
        {
            node = Get(node, "properties", part);
        }

        return (YamlMappingNode)node;
    }

    private static YamlNode Get(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            var mapping = Assert.IsType<YamlMappingNode>(node);
            Assert.True(mapping.Children.TryGetValue(new YamlScalarNode(key), out var child), $"missing key '{key}'");
            node = child!;
        }

        return node;
    }

    private static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)Get(node, path)).Value!;

    private static List<string> Strings(YamlNode node) => ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();

    private static List<string> Keys(YamlNode node) => ((YamlMappingNode)node).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();

    private static IEnumerable<(string Path, YamlMappingNode Node)> Properties(YamlMappingNode schema, string path)
    {
        if (schema.Children.TryGetValue(new YamlScalarNode("properties"), out var properties))
        {
            foreach (var (key, value) in ((YamlMappingNode)properties).Children)
            {
                var childPath = $"{path}.{((YamlScalarNode)key).Value}";
                var child = (YamlMappingNode)value;
                yield return (childPath, child);
                foreach (var nested in Properties(child, childPath))
                {
                    yield return nested;
                }
            }
        }

        if (schema.Children.TryGetValue(new YamlScalarNode("items"), out var items))
        {
            foreach (var nested in Properties((YamlMappingNode)items, path + "[]"))
            {
                yield return nested;
            }
        }
    }

    private static IEnumerable<YamlNode> AllNodes(YamlNode node)
    {
        yield return node;
        var children = node switch
        {
            YamlMappingNode m => m.Children.Values,
            YamlSequenceNode s => s.Children,
            _ => [],
        };
        foreach (var child in children.SelectMany(AllNodes))
        {
            yield return child;
        }
    }
}
