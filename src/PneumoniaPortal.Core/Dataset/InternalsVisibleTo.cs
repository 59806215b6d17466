using System.Runtime.CompilerServices;

// The importer builds zip catalogs with the entry names it found (see ImageCatalog's internal constructor).
[assembly: InternalsVisibleTo("PneumoniaPortal.Imaging")]
