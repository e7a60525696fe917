"""The fixed list of subject fields a concept belongs to.

Each glossary concept lives in the folder named after its field. The list
follows the sub-domains of light and electron microscopy and bioimage analysis
that a core facility's training covers; adding one is a reviewed change here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubjectField:
    id: str
    title: str
    description: str


SUBJECT_FIELDS: tuple[SubjectField, ...] = (
    SubjectField("optics", "Optics and microscope hardware",
                 "Lenses, objectives, illumination, filters, stages and the physics of image formation."),
    SubjectField("modalities", "Contrast methods and modalities",
                 "Brightfield to super-resolution, light-sheet, electron and correlative microscopy."),
    SubjectField("fluorescence", "Fluorescence and labelling",
                 "Fluorophores, fluorescent proteins, staining, photophysics and labelling strategies."),
    SubjectField("sample-preparation", "Sample preparation",
                 "Fixation, mounting, clearing, sectioning and everything done before imaging."),
    SubjectField("acquisition", "Detectors, cameras and acquisition",
                 "Cameras, photomultipliers, exposure, gain, sampling and acquisition settings."),
    SubjectField("image-data", "Image data, metadata and file formats",
                 "Pixels, bit depth, channels, dimensions, metadata and formats such as OME-TIFF and OME-Zarr."),
    SubjectField("processing", "Image processing and filtering",
                 "Filters, transforms, deconvolution, registration and enhancement of images."),
    SubjectField("segmentation", "Segmentation",
                 "Thresholding, labelling and delineating objects in images."),
    SubjectField("measurement", "Measurement, quantification and statistics",
                 "Intensity and shape measurements, colocalization and the statistics applied to them."),
    SubjectField("tracking", "Time-lapse and tracking",
                 "Live imaging over time, object tracking and motion analysis."),
    SubjectField("machine-learning", "Machine learning for images",
                 "Neural networks, training, annotation and model evaluation for image analysis."),
    SubjectField("software", "Software, scripting and workflows",
                 "Analysis programs, plugins, scripting, pipelines and their user interfaces."),
    SubjectField("data-management", "Data management, FAIR and quality control",
                 "Data storage, sharing, FAIR principles, reproducibility and instrument quality control."),
)

FIELD_IDS: frozenset[str] = frozenset(f.id for f in SUBJECT_FIELDS)


def by_id(field_id: str) -> SubjectField:
    for field in SUBJECT_FIELDS:
        if field.id == field_id:
            return field
    raise KeyError(field_id)
