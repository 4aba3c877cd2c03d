"""The rules of Buurtwacht. Services change the session and flush; the view commits."""
