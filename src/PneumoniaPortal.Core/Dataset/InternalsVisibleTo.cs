using System.Runtime.CompilerServices;

// The importer builds zip catalogs with the entry names it found (see ImageCatalog's internal constructor).
[assembly: InternalsVisibleTo("PneumoniaPortal.Imaging")]

// The bootstrap tests check the percentile rule the intervals use against numpy's.
[assembly: InternalsVisibleTo("PneumoniaPortal.Core.Tests")]
