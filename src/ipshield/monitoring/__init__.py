"""Online identification (在线识别): protected marks, marketplace listings and knock-off alerts."""
