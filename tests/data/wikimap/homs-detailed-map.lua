-- A small detailed-map module in the layout of Wikipedia's "Module:... detailed map" pages,
-- written for frontlines' tests: control around Homs before the December 2024 offensive.
return {
	secondaryModules = {
		[[Module:Example neighbouring detailed map]],
		--[[Module:Example disabled map]]
	},
	marks = {
		-- Homs Governorate
		{ lat = "34.724", long = "36.726", mark = "Location dot red.svg", marksize = "10", label = "[[Homs]]", label_size = "80", position = "right" },
		{ lat = "34.927", long = "36.732", mark = "Location dot red.svg", marksize = "6", label = "[[Al-Rastan|Ar Rastan]]", label_size = "0", position = "left" },
		{ lat = "34.841", long = "36.731", mark = "Location dot red.svg", marksize = "6", label = "[[Talbiseh]]", label_size = "0" },
		{ lat = "34.508", long = "36.580", mark = "Location dot red.svg", marksize = "6", label = "[[Al-Qusayr]]", label_size = "0" }, -- Hezbollah stronghold
		{ lat = "34.562", long = "38.284", mark = "Location dot red.svg", marksize = "8", label = "[[Palmyra|Tadmur]]", label_size = "0", position = "bottom" },
		-- Hama Governorate
		{ lat = "35.132", long = "36.758", mark = "Dot_green_0d0.svg", marksize = "10", label = "[[Hama]]", label_size = "80" },
		{ lat = "35.930", long = "36.634", mark = 'Map-dot-grey-68a.svg', marksize = "8", label = "[[Idlib]]" },
		-- stacked marks: a border post under a coloured dot, one place
		{ lat = "34.444", long = "36.519", mark = "Mountain pass 12x12 w.svg", marksize = "18" },
		{ lat = "34.444", long = "36.519", mark = "Location dot yellow.svg", marksize = "6" },
		{ lat = "34.444", long = "36.519", mark = "Mountain pass 12x12 w.svg", label = "[[Jousieh crossing]]", link = "Jousieh", label_size = "0" },
		-- two towns on one spot stay two places
		{ lat = "34.724", long = "36.726", mark = "Location dot green.svg", marksize = "6", label = "[[Teir Maalah]]" },
		-- mixed control and a truce: no single controller
		{ lat = "34.885", long = "38.871", mark = "Map-ctl2-red+black.svg", marksize = "6", label = "[[As Sukhnah]]" },
		{ lat = "34.230", long = "37.241", mark = "LACMTA_Circle_Purple_Line.svg", marksize = "6", label = "[[Al Qaryatayn]]" },
		-- a decoration with no label is not a place
		{ lat = "34.700", long = "36.700", mark = "Arch dam 12x12 w.svg", marksize = "16" },
	},
	containerArgs = {
		'Syria',
		maplink = '',
		float = 'left',
		width = 1200,
		caption = [=['''Control''': [[File:Location_dot_red.svg|11px]] Government ; [[File:Dot_green_0d0.svg|11px]] rebels ; { not a table }]=]
	}
}
