"""No models: its migration creates every object kind a schema can hold, with RunSQL."""
